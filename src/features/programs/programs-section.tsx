import { Body1, Button, Caption1, Divider, Subtitle1, Text, makeStyles, tokens, typographyStyles } from "@fluentui/react-components";
import { ArrowLeft16Regular } from "@fluentui/react-icons";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { LoadingPlaceholder } from "../../components/loading-placeholder";
import { ErrorNotice } from "../../components/error-notice";
import { ProblemNotice } from "../../components/problem-notice";
import { CohortBookingPanel } from "./cohort-booking-panel";
import { CreateProgramForm } from "./create-program-form";
import { DraftCircles } from "./draft-circles";
import { EnrolPanel } from "./enrol-panel";
import type { ProgramSummary } from "./program-api";
import { ProgramHealthPanel } from "./program-health";
import { programHealthQueryKey, useProgram, usePrograms } from "./use-programs";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { display: "flex", flexWrap: "wrap", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalM },
  title: { margin: 0, overflowWrap: "anywhere" },
  programTitle: { ...typographyStyles.subtitle1, margin: 0, overflowWrap: "anywhere" },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  item: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  itemText: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXXS, minWidth: 0, flex: "1 1 200px" },
  purpose: { overflowWrap: "anywhere" },
  back: { alignSelf: "flex-start" },
});

const STAGE_WORDS: Record<ProgramSummary["stage"], string> = { enrolling: "enrolling", formed: "circles formed, not booked", booking: "booked" };

/**
 * The personal tab's "Programs" section for program owners (L&D, HR): their programs, creating
 * one, and one program's whole flow — enrol, form circles, book the cohort, follow its health.
 */
export function ProgramsSection() {
  const styles = useStyles();
  const headingId = useId();
  const [openId, setOpenId] = useState<string>();
  const [creating, setCreating] = useState(false);
  const programs = usePrograms();

  if (openId) return <ProgramPage programId={openId} onBack={() => setOpenId(undefined)} />;
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <div className={styles.heading}>
        <Subtitle1 as="h2" id={headingId} className={styles.title}>
          Programs
        </Subtitle1>
        {!creating && (
          <Button onClick={() => setCreating(true)}>
            Create a program
          </Button>
        )}
      </div>
      <Caption1>Launch a cohort: enrol a pool of people, let the app form circles, book them all and follow the program's health.</Caption1>
      {creating && (
        <CreateProgramForm
          onCreated={(program) => {
            setCreating(false);
            setOpenId(program.id);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {programs.isPending && <LoadingPlaceholder label="Loading your programs" size={40} />}
      {/* Its own retry label: "Try again" may already be on the page for the circles list. */}
      {programs.isError && <ErrorNotice title="We couldn't load your programs." error={programs.error} actions={<Button onClick={() => void programs.refetch()}>Load programs again</Button>} />}
      {programs.data && programs.data.length === 0 && !creating && <Body1>You don't own any programs yet.</Body1>}
      {programs.data && programs.data.length > 0 && (
        <ul className={styles.list} aria-label="Your programs">
          {programs.data.map((program) => (
            <li key={program.id} className={styles.item}>
              <div className={styles.itemText}>
                <Text weight="semibold" className={styles.purpose}>
                  {program.purpose}
                </Text>
                <Caption1>
                  {program.enrolled} enrolled · {program.durationWeeks} weeks · {STAGE_WORDS[program.stage]}
                </Caption1>
              </div>
              <Button onClick={() => setOpenId(program.id)} aria-label={`Open program: ${program.purpose}`}>
                Open
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One program, step by step; later steps appear once the earlier ones have something to work on. */
function ProgramPage({ programId, onBack }: { programId: string; onBack: () => void }) {
  const styles = useStyles();
  const headingId = useId();
  const program = useProgram(programId);
  const queryClient = useQueryClient();
  const heading = useRef<HTMLHeadingElement>(null);
  const refreshHealth = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: programHealthQueryKey(programId) });
    void program.refetch();
  }, [queryClient, programId, program]);

  const loadedId = program.data?.id;
  // Opening a program moves focus to its heading, so screen readers announce where they are.
  useEffect(() => {
    if (loadedId) heading.current?.focus();
  }, [loadedId]);

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Button className={styles.back} appearance="subtle" icon={<ArrowLeft16Regular />} onClick={onBack}>
        Back to programs
      </Button>
      {program.isPending && <LoadingPlaceholder label="Loading the program" size={72} />}
      {program.isError && <ProblemNotice title="We couldn't load this program." error={program.error} onRetry={() => void program.refetch()} />}
      {program.data && (
        <>
          <div>
            <h2 id={headingId} ref={heading} tabIndex={-1} className={styles.programTitle}>
              {program.data.purpose}
            </h2>
            <Caption1 as="p">
              Program · {program.data.durationWeeks} weeks · {program.data.size === "pairs" ? "pairs" : `circles of ${program.data.size.min} to ${program.data.size.max}`}
            </Caption1>
          </div>
          {program.data.booking === null && <EnrolPanel program={program.data} />}
          {program.data.booking === null && <Divider />}
          <DraftCircles program={program.data} />
          {program.data.draft && program.data.draft.circles.length > 0 && (
            <>
              <Divider />
              <CohortBookingPanel program={program.data} onBooked={refreshHealth} />
            </>
          )}
          {program.data.booking !== null && (
            <>
              <Divider />
              <ProgramHealthPanel programId={programId} />
            </>
          )}
          {program.data.draft === null && <Caption1 as="p">Next: book the cohort, then follow the program's health here.</Caption1>}
        </>
      )}
    </section>
  );
}
