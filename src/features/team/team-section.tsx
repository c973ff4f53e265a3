import { useId } from "react";
import { Body1, Button, Caption1, ProgressBar, Subtitle1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { ErrorNotice } from "../../components/error-notice";
import { CirclesAtRiskCard, FigureCard, FigureList, FiguresHiddenNotice, PerPersonHoursCard, SessionsHeldCard } from "../../components/figure-cards";
import { WeeklyHoursChart } from "../../components/weekly-hours-chart";
import { useHostContext } from "../../host";
import type { TeamHealth } from "./team-api";
import { useTeamHealth } from "./use-team-health";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  title: { margin: 0 },
  subtitle: { margin: 0 },
});

/**
 * The manager's "Team" section of the personal tab: aggregates over their direct reports who take
 * part (never names or content), or why nothing is shown. People who manage nobody don't see it.
 */
export function TeamSection() {
  const styles = useStyles();
  const headingId = useId();
  const team = useTeamHealth();
  // Nothing while loading: most people manage nobody and should not see a section flash by.
  if (team.isPending) return null;
  if (team.data?.status === "hidden" && team.data.reason.code === "noReports") return null;
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Subtitle1 as="h2" id={headingId} className={styles.title}>
        Your team
      </Subtitle1>
      <Caption1>Coaching across your direct reports, as totals only: no names, no circles, nothing said in a session.</Caption1>
      {/* Its own retry label: "Try again" may already be on the page for the circles list. */}
      {team.isError && <ErrorNotice title="We couldn't load your team's figures." error={team.error} actions={<Button onClick={() => void team.refetch()}>Load team figures again</Button>} />}
      {team.data?.status === "hidden" && <FiguresHiddenNotice title="No team figures yet" reason={team.data.reason} />}
      {team.data?.status === "shown" && <TeamFigures view={team.data} />}
    </section>
  );
}

function TeamFigures({ view }: { view: Extract<TeamHealth, { status: "shown" }> }) {
  const styles = useStyles();
  const { locale } = useHostContext();
  const chartHeadingId = useId();
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const { blocksProtected: kept, blocksOverridden: overridden } = view.protectedHours;
  const blocks = kept + overridden;
  const completion = view.commitmentCompletion;
  const weeks = view.protectedHours.weeks.length;
  return (
    <>
      <Body1>
        {view.participants} of your reports take part in coaching circles. Figures cover the last {weeks} complete weeks.
      </Body1>
      <div>
        <Subtitle2 as="h3" id={chartHeadingId} className={styles.subtitle}>
          Protected coaching hours per week
        </Subtitle2>
        <Caption1 as="p">Sessions attended, plus the prep and reflection time kept free around them.</Caption1>
      </div>
      <WeeklyHoursChart
        weeks={view.protectedHours.weeks}
        locale={locale}
        scope="for your team"
        tableLabel="Protected coaching hours per week"
        summaryDetail={`${number.format(view.protectedHours.averagePerParticipantPerWeek)} hours a week per person taking part`}
      />
      <FigureList label="Team figures">
        <SessionsHeldCard held={view.sessions.held} planned={view.sessions.planned} locale={locale}>
          Planned sessions that took place: at least 2 members in the Teams meeting by its attendance report, or run with the app where there is no report. Skipped ones
          count as planned.
        </SessionsHeldCard>
        <FigureCard
          title="Commitment completion"
          figure={completion.status === "shown" ? (completion.rate === null ? "No reviews yet" : percent.format(completion.rate)) : undefined}
        >
          <Caption1>
            {completion.status === "shown"
              ? `Over ${completion.reviewed} reviewed commitments: done counts fully, partly done half, changed plans not at all.`
              : completion.reason.message}
          </Caption1>
        </FigureCard>
        <CirclesAtRiskCard atRisk={view.circles.atRisk} of={view.circles.active} />
        <PerPersonHoursCard protectedHours={view.protectedHours} locale={locale} />
        <FigureCard title="Protected time kept" figure={blocks > 0 ? percent.format(kept / blocks) : undefined}>
          {blocks > 0 ? (
            <>
              <ProgressBar value={kept / blocks} thickness="large" aria-label={`Protected time kept: ${percent.format(kept / blocks)} of prep and reflection blocks`} />
              <Caption1>
                {kept} of {blocks} prep and reflection blocks kept free; {overridden} had another meeting accepted on top.
              </Caption1>
            </>
          ) : (
            <Caption1>No prep or reflection time was protected in these weeks.</Caption1>
          )}
        </FigureCard>
      </FigureList>
    </>
  );
}
