import { useState } from "react";
import type { FormEvent } from "react";
import { describeError } from "../../../lib/api-error";

export interface SubmitTextOptions {
  /** What the field holds at first (e.g. a saved insight). */
  initial?: string;
  /** Empty the field once the text is saved (a new question, a new note); false keeps it (an insight one edits). */
  clearOnSuccess?: boolean;
  /** Submit even when the trimmed text is empty (an optional line such as a review's learning). */
  allowEmpty?: boolean;
}

/**
 * The panel's many "type a line, press the button" forms: the field's value, the trimmed text,
 * a pending flag while it is being saved and a sentence to show when saving failed.
 * `save` gets the trimmed text; it may resolve false to say "not saved, the error is shown
 * elsewhere" (intents report through the panel's one error bar).
 */
export function useSubmitText(save: (text: string) => Promise<unknown>, options: SubmitTextOptions = {}) {
  const { initial = "", clearOnSuccess = true, allowEmpty = false } = options;
  const [text, setText] = useState(initial);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const trimmed = text.trim();
  const empty = trimmed === "";

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (empty && !allowEmpty) return;
    setPending(true);
    setError(undefined);
    save(trimmed).then(
      (result) => {
        if (result !== false && clearOnSuccess) setText("");
        setPending(false);
      },
      (err: unknown) => {
        setError(describeError(err));
        setPending(false);
      },
    );
  };

  return { text, setText, trimmed, empty, pending, error, onSubmit };
}
