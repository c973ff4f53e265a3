import { useId, useState } from "react";
import {
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle1,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { describeProblem } from "../../components/describe-problem";
import { useHost } from "../../host";
import { circlesQueryKey } from "../circles/use-circles";
import { DELETE_CONFIRMATION, deleteMyData, exportFileName, fetchMyData, type DeleteResult } from "./privacy-api";
import { saveFile } from "../../components/save-file";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  title: { margin: 0 },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  // The dialog fills a 320 px tab instead of overflowing it.
  surface: { maxWidth: "min(560px, calc(100vw - 24px))", boxSizing: "border-box" },
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
});

/** Hands the export to the browser as a file (the API's JSON, pretty-printed for people). */
function saveAsFile(name: string, data: unknown): void {
  saveFile(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }), name);
}

/**
 * "Your data" in the personal tab (issue #5 part 7): download everything we hold about you, or
 * delete it — behind a dialog that says what happens and asks you to type the confirmation.
 */
export function YourDataSection() {
  const styles = useStyles();
  const headingId = useId();
  const host = useHost();
  const options = { getToken: () => host.getToken() };
  const download = useMutation({
    mutationFn: () => fetchMyData(options),
    onSuccess: (data) => saveAsFile(exportFileName(data), data),
  });

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Subtitle1 as="h2" id={headingId} className={styles.title}>
        Your data
      </Subtitle1>
      <Caption1>Download what Coaching Circles holds about you and what you wrote, or delete it. Other members' notes and insights are theirs and are never included.</Caption1>
      <div className={styles.actions}>
        <Button onClick={() => download.mutate()} disabled={download.isPending} icon={download.isPending ? <Spinner size="tiny" /> : undefined}>
          {download.isPending ? "Preparing your file…" : "Download my data"}
        </Button>
        <DeleteMyDataDialog />
      </div>
      {download.isError && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>We couldn't prepare your file.</MessageBarTitle> {describeProblem(download.error)} Then choose Download my data again.
          </MessageBarBody>
        </MessageBar>
      )}
      {download.isSuccess && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>Your file {exportFileName(download.data)} is downloading.</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}

function DeleteMyDataDialog() {
  const styles = useStyles();
  const host = useHost();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: () => deleteMyData({ getToken: () => host.getToken() }, typed.trim()),
    // You are in no circle any more: the list below shows that at once.
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: circlesQueryKey }),
  });
  const confirmed = typed.trim() === DELETE_CONFIRMATION;

  return (
    <Dialog
      open={open}
      onOpenChange={(_e, d) => {
        // No closing half-way: the deletion finishes and says what it did.
        if (remove.isPending) return;
        setOpen(d.open);
        if (!d.open) {
          setTyped("");
          remove.reset();
        }
      }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="secondary">Delete my data</Button>
      </DialogTrigger>
      <DialogSurface className={styles.surface}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (confirmed && !remove.isPending && !remove.isSuccess) remove.mutate();
          }}
        >
          <DialogBody>
            <DialogTitle>{remove.isSuccess ? "Your data is deleted" : "Delete your data?"}</DialogTitle>
            <DialogContent className={styles.content}>
              {remove.isSuccess ? <DeleteSummary result={remove.data} /> : <WhatHappens />}
              {!remove.isSuccess && (
                <Field label={`Type "${DELETE_CONFIRMATION}" to confirm`} hint="This can't be undone. Download your data first if you want a copy.">
                  <Input value={typed} onChange={(_e, d) => setTyped(d.value)} disabled={remove.isPending} autoComplete="off" spellCheck={false} />
                </Field>
              )}
              {remove.isPending && <Spinner size="small" label="Deleting your data and tidying your calendar…" />}
              {remove.isError && (
                <MessageBar intent="error" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>Nothing was deleted.</MessageBarTitle> {describeProblem(remove.error)} Then try again.
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              {remove.isSuccess ? (
                <DialogTrigger disableButtonEnhancement>
                  <Button appearance="primary">Done</Button>
                </DialogTrigger>
              ) : (
                <>
                  <DialogTrigger disableButtonEnhancement>
                    <Button disabled={remove.isPending}>Keep my data</Button>
                  </DialogTrigger>
                  <Button type="submit" appearance="primary" disabled={!confirmed || remove.isPending}>
                    Delete my data
                  </Button>
                </>
              )}
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function WhatHappens() {
  const styles = useStyles();
  return (
    <>
      <Body1>This is what happens:</Body1>
      <ul className={styles.list}>
        <li>Your notes, commitment cards, insights (and any copy you shared with a program), questions and settings are deleted.</li>
        <li>You leave every circle. The others keep meeting and see you as "a former member"; a circle you organise passes to its longest-standing member.</li>
        <li>Our "Coaching (protected)" blocks are removed from your calendar, and we stop watching it for changes. You're taken off your circles' meeting series.</li>
        <li>Circle and program totals keep your review outcomes and ratings, without your name or words.</li>
        <li>Meetings you organise stay in your Outlook, and cards in meeting chats and tasks in Microsoft To Do stay in Microsoft 365.</li>
      </ul>
    </>
  );
}

function DeleteSummary({ result }: { result: DeleteResult }) {
  const styles = useStyles();
  const r = result.removed;
  const m = result.microsoft365;
  if (result.status === "nothingToDelete") {
    return <Body1>There was nothing left to delete: Coaching Circles holds no data about you.</Body1>;
  }
  const lines = [
    [r.circleMemberships, "circle membership", "circle memberships"],
    [r.notes, "note", "notes"],
    [r.commitments + result.anonymised.commitments, "commitment card", "commitment cards"],
    [r.insights, "insight", "insights"],
    [r.questions, "question", "questions"],
    [r.sessionDeclines, "recorded decline", "recorded declines"],
    [m.protectedBlocksRemoved, "protected block removed from your calendar", "protected blocks removed from your calendar"],
    [result.anonymised.circlesHandedOver, "circle handed to its longest-standing member", "circles handed to their longest-standing members"],
  ] as const;
  return (
    <>
      <Body1>Deleted from Coaching Circles:</Body1>
      <ul className={styles.list} aria-label="What was deleted">
        {lines
          .filter(([n]) => n > 0)
          .map(([n, one, many]) => (
            <li key={one}>
              {n} {n === 1 ? one : many}
            </li>
          ))}
        <li>Your profile and settings</li>
      </ul>
      {m.problems.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Some calendar clean-up didn't finish.</MessageBarTitle>
            {m.problems.join(" ")}
          </MessageBarBody>
        </MessageBar>
      )}
      <Caption1>If you keep using Coaching Circles, it starts afresh: your name and time zone are recorded again when you next open it.</Caption1>
      {result.kept.length > 0 && (
        <>
          <Body1>What stays:</Body1>
          <ul className={styles.list} aria-label="What stays">
            {result.kept.map((k) => (
              <li key={k}>{k}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
