import { Body1, Button, Caption1, ProgressBar, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowDownload16Regular } from "@fluentui/react-icons";
import { useId, useState } from "react";
import { LoadingPlaceholder } from "../../components/loading-placeholder";
import { ErrorNotice } from "../../components/error-notice";
import { CirclesAtRiskCard, FigureCard, FigureList, FiguresHiddenNotice, PerPersonHoursCard, SessionsHeldCard } from "../../components/figure-cards";
import { ProblemNotice } from "../../components/problem-notice";
import { saveFile } from "../../components/save-file";
import { WeeklyHoursChart } from "../../components/weekly-hours-chart";
import { useHostContext } from "../../host";
import type { ProgramHealth } from "./program-api";
import { useProgramApi, useProgramHealth } from "./use-programs";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  title: { margin: 0 },
  heading: { display: "flex", flexWrap: "wrap", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalM },
});

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
      {downloadError !== undefined && <ErrorNotice title="The CSV wasn't downloaded." error={downloadError} />}
      {downloaded && (
        <div role="status">
          <Caption1>{downloaded}</Caption1>
        </div>
      )}
      {health.isPending && <LoadingPlaceholder label="Loading the program's health" size={72} />}
      {health.isError && <ProblemNotice title="We couldn't load the program's health." error={health.error} onRetry={() => void health.refetch()} />}
      {health.data?.status === "hidden" && <FiguresHiddenNotice title="No program figures yet" reason={health.data.reason} />}
      {health.data?.status === "shown" && <HealthFigures view={health.data} />}
    </section>
  );
}

function HealthFigures({ view }: { view: Extract<ProgramHealth, { status: "shown" }> }) {
  const styles = useStyles();
  const { locale } = useHostContext();
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
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
      <WeeklyHoursChart weeks={view.protectedHours.weeks} locale={locale} scope="across the program" tableLabel="Protected coaching hours per week across the program" />
      <FigureList label="Program figures">
        <SessionsHeldCard held={view.sessions.held} planned={view.sessions.planned} locale={locale}>
          Circle sessions that took place; skipped ones count as planned.
        </SessionsHeldCard>
        <CirclesAtRiskCard atRisk={view.circles.atRisk} of={view.circles.booked} />
        <FigureCard
          title="Commitment completion"
          figure={completion.status === "shown" ? (completion.rate === null ? "No reviews yet" : percent.format(completion.rate)) : undefined}
        >
          {completion.status === "shown" ? (
            <>
              {completion.rate !== null && <ProgressBar value={completion.rate} thickness="large" aria-label={`Commitment completion: ${percent.format(completion.rate)}`} />}
              <Caption1>Over {completion.reviewed} reviewed commitments: done counts fully, partly done half.</Caption1>
            </>
          ) : (
            <Caption1>{completion.reason.message}</Caption1>
          )}
        </FigureCard>
        <FigureCard title="Usefulness pulse" figure={pulse.status === "shown" && pulse.average !== null ? `${number.format(pulse.average)} / 5` : undefined}>
          {pulse.status === "shown" && pulse.average !== null ? (
            <>
              <ProgressBar value={pulse.average} max={5} thickness="large" aria-label={`Usefulness pulse: ${number.format(pulse.average)} out of 5`} />
              <Caption1>Average of {pulse.ratings} one-tap ratings after sessions.</Caption1>
            </>
          ) : (
            <Caption1>{pulse.status === "hidden" ? pulse.reason.message : "No ratings yet."}</Caption1>
          )}
        </FigureCard>
        <PerPersonHoursCard protectedHours={view.protectedHours} locale={locale} />
        <FigureCard title="Insights shared" figure={view.insightsShared}>
          <Caption1>Anonymised insights people chose to share with the program.</Caption1>
        </FigureCard>
      </FigureList>
    </>
  );
}
