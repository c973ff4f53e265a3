import {
  Avatar,
  Field,
  Spinner,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
  Tag,
} from "@fluentui/react-components";
import type { TagPickerProps } from "@fluentui/react-components";
import { useRef, useState } from "react";
import { describeProblem } from "../../components/describe-problem";
import type { Person } from "../../lib/api-schemas";
import { usePeopleSearch } from "./use-people-search";

export interface PeoplePickerProps {
  label: string;
  hint?: string;
  required?: boolean;
  value: Person[];
  onChange: (people: Person[]) => void;
  /** People who can't be picked (the signed-in user, who is always in their own circle). */
  excludeUpns?: string[];
  validationMessage?: string;
}

/**
 * Pick colleagues from the directory: type a name, choose from the matches, remove a person with
 * their tag (Backspace or click). Searching waits for a pause in typing.
 */
export function PeoplePicker({ label, hint, required, value, onChange, excludeUpns = [], validationMessage }: PeoplePickerProps) {
  const [query, setQuery] = useState("");
  // Opens as soon as there is text (also pasted text) and closes after a pick, so the list never
  // sits over the rest of the form.
  const [open, setOpen] = useState(false);
  const search = usePeopleSearch(query);
  // Selected options are UPNs; the people behind them are remembered from the search results.
  const known = useRef(new Map<string, Person>());
  for (const person of value) known.current.set(person.upn, person);
  for (const person of search.data ?? []) known.current.set(person.upn, person);

  const excluded = new Set([...excludeUpns, ...value.map((p) => p.upn)].map((upn) => upn.toLowerCase()));
  const matches = (search.data ?? []).filter((p) => !excluded.has(p.upn.toLowerCase()));

  const onOptionSelect: TagPickerProps["onOptionSelect"] = (_, data) => {
    if (data.value === NO_MATCH) return;
    const people = data.selectedOptions.map((upn) => known.current.get(upn)).filter((p): p is Person => Boolean(p));
    onChange(people);
    setQuery("");
    setOpen(false);
  };

  let status: string | undefined;
  if (query.trim() && (!search.settled || search.isFetching)) status = "Searching…";
  else if (search.isError) status = describeProblem(search.error);
  else if (query.trim() && search.searchedFor && matches.length === 0) status = `No one found for “${search.searchedFor}”.`;

  return (
    <Field label={label} hint={hint} required={required} validationMessage={validationMessage}>
      <TagPicker onOptionSelect={onOptionSelect} selectedOptions={value.map((p) => p.upn)} open={open && query.trim().length > 0} onOpenChange={(_, data) => setOpen(data.open)}>
        <TagPickerControl>
          <TagPickerGroup aria-label={`Selected: ${value.length === 0 ? "nobody yet" : value.map((p) => p.displayName).join(", ")}`}>
            {value.map((person) => (
              <Tag key={person.upn} value={person.upn} shape="rounded" media={<Avatar aria-hidden name={person.displayName} color="colorful" />}>
                {person.displayName}
              </Tag>
            ))}
          </TagPickerGroup>
          <TagPickerInput aria-label={label} placeholder="Type a name" value={query} onChange={(event) => {
              setQuery(event.target.value);
              setOpen(event.target.value.trim().length > 0);
            }}
          />
        </TagPickerControl>
        <TagPickerList>
          {matches.length > 0 && query.trim()
            ? matches.map((person) => (
                <TagPickerOption
                  key={person.upn}
                  value={person.upn}
                  text={person.displayName}
                  media={<Avatar aria-hidden name={person.displayName} color="colorful" />}
                  secondaryContent={[person.jobTitle, person.department].filter(Boolean).join(" · ") || person.upn}
                >
                  {person.displayName}
                </TagPickerOption>
              ))
            : (
                <TagPickerOption value={NO_MATCH} text={status ?? "Type a name to search"}>
                  {status === "Searching…" ? <Spinner size="extra-tiny" label="Searching…" /> : status ?? "Type a name to search the directory"}
                </TagPickerOption>
              )}
        </TagPickerList>
      </TagPicker>
    </Field>
  );
}

const NO_MATCH = "__no-match__";
