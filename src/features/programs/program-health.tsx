import { Body1, Button, Caption1, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Skeleton, SkeletonItem, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowDownload16Regular } from "@fluentui/react-icons";
import { useId, useState } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import { describeProblem } from "../../components/describe-problem";
import { useHostContext } from "../../host";
import type { ProgramHealth } from "./program-api";
import { useProgramApi, useProgramHealth } from "./use-programs";
import { WeeklyHoursChart } from "./weekly-hours-chart";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  title: { margin: 0 },
  heading: { display: "flex", flexWrap: "wrap", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalM },
  stats: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "grid",
    gap: tokens.spacingHorizontalM,
    gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 200px), 1fr))",
  },
  stat: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  figure: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
});

/** Saves a file the browser already holds (the CSV fetched with the caller's token). */
function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  // After the click has been handled: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/**
 * The program's health: aggregates over the people taking part, never names or content; below
 * the threshold, why nothing is shown. "Download CSV" saves the same figures for reviews.
 */
export function ProgramHealthPanel({ programId }: { programId: string }) {
  const styles = useStyles();
  const headingId = useId();
  const health = useProgramHealth(programId, true);
  const api = useProgramApi();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>();
  const [downloaded, setDownloaded] = useState<string>();

  const download = async () => {
    setDownloading(true);
    setDownloadError(undefined);
    setDownloaded(undefined);
    try {
      const file = await api.exportHealth(programId);
      saveFile(file.blob, file.filename);
      setDownloaded(`Saved ${file.filename}.`);
    } catch (error) {
      setDownloadError(error);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <section className={styles.panel} aria-labelledby={headingId}>
      <div className={styles.heading}>
        <Subtitle2 as="h3" id={headingId} className={styles.title}>
          4. Program health
        </Subtitle2>
        <Button icon={<ArrowDownload16Regular />} onClick={() => void download()} disabled={downloading}>
          {downloading ? "Preparing the CSV…" : "Download CSV"}
        </Button>
      </div>
      <Caption1>Totals across the people taking part: no names, no circles singled out, nothing said in a session.</Caption1>
      {downloadError !== undefined && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The CSV wasn't downloaded.</MessageBarTitle> {describeProblem(downloadError)}
          </MessageBarBody>
        </MessageBar>
      )}
      {downloaded && (
        <div role="status">
          <Caption1>{downloaded}</Caption1>
        </div>
      )}
      {health.isPending && (
        <Skeleton aria-label="Loading the program's health">
          <SkeletonItem size={72} />
        </Skeleton>
      )}
      {health.isError && <ProblemNotice title="We couldn't load the program's health." error={health.error} onRetry={() => void health.refetch()} />}
      {health.data?.status === "hidden" && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>No program figures yet</MessageBarTitle> {health.data.reason.message} This keeps what each person does in coaching their own.
          </MessageBarBody>
        </MessageBar>
      )}
      {health.data?.status === "shown" && <HealthFigures view={health.data} />}
    </section>
  );
}

function HealthFigures({ view }: { view: Extract<ProgramHealth, { status: "shown" }> }) {
  const styles = useStyles();
  const { locale } = useHostContext();
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const { held, planned } = view.sessions;
  const completion = view.commitmentCompletion;
  const pulse = view.pulse;
  return (
    <>
      <Body1>
        {view.participants} people take part in {view.circles.booked} booked {view.circles.booked === 1 ? "circle" : "circles"}. Figures cover the last {view.protectedHours.weeks.length}{" "}
        complete weeks.
      </Body1>
      <Text weight="semibold" as="h4" className={styles.title}>
        Protected coaching hours per week
      </Text>
      <WeeklyHoursChart weeks={view.protectedHours.weeks} locale={locale} />
      <ul className={styles.stats} aria-label="Program figures">
        <li className={styles.stat}>
          <Text weight="semibold">Sessions held</Text>
          <span className={styles.figure}>
            {held} of {planned}
          </span>
          {planned > 0 && <ProgressBar value={held / planned} thickness="large" aria-label={`Sessions held: ${percent.format(held / planned)} of those planned`} />}
          <Caption1>Circle sessions that took place; skipped ones count as planned.</Caption1>
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Circles at risk</Text>
          <span className={styles.figure}>
            {view.circles.atRisk} of {view.circles.booked}
          </span>
          <Caption1>A circle is at risk when 2 of its last 3 sessions were skipped or not held.</Caption1>
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Commitment completion</Text>
          {completion.status === "shown" ? (
            <>
              <span className={styles.figure}>{completion.rate === null ? "No reviews yet" : percent.format(completion.rate)}</span>
              {completion.rate !== null && <ProgressBar value={completion.rate} thickness="large" aria-label={`Commitment completion: ${percent.format(completion.rate)}`} />}
              <Caption1>Over {completion.reviewed} reviewed commitments: done counts fully, partly done half.</Caption1>
            </>
          ) : (
            <Caption1>{completion.reason.message}</Caption1>
          )}
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Usefulness pulse</Text>
          {pulse.status === "shown" && pulse.average !== null ? (
            <>
              <span className={styles.figure}>{number.format(pulse.average)} / 5</span>
              <ProgressBar value={pulse.average} max={5} thickness="large" aria-label={`Usefulness pulse: ${number.format(pulse.average)} out of 5`} />
              <Caption1>Average of {pulse.ratings} one-tap ratings after sessions.</Caption1>
            </>
          ) : (
            <Caption1>{pulse.status === "hidden" ? pulse.reason.message : "No ratings yet."}</Caption1>
          )}
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Per person taking part</Text>
          <span className={styles.figure}>{number.format(view.protectedHours.averagePerParticipantPerWeek)} h a week</span>
          <Caption1>
            {view.protectedHours.blocksProtected} prep and reflection blocks kept, {view.protectedHours.blocksOverridden} overridden by other meetings.
          </Caption1>
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Insights shared</Text>
          <span className={styles.figure}>{view.insightsShared}</span>
          <Caption1>Anonymised insights people chose to share with the program.</Caption1>
        </li>
      </ul>
    </>
  );
}
