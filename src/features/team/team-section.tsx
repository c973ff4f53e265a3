import { useId } from "react";
import { Body1, Button, Caption1, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, ProgressBar, Subtitle1, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { describeProblem } from "../../components/describe-problem";
import { useHostContext } from "../../host";
import { ProtectedHoursChart } from "./protected-hours-chart";
import type { TeamHealth } from "./team-api";
import { useTeamHealth } from "./use-team-health";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  title: { margin: 0 },
  subtitle: { margin: 0 },
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
  },
  figure: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
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
      {team.isError && (
        // Its own retry label: "Try again" may already be on the page for the circles list.
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>We couldn't load your team's figures.</MessageBarTitle> {describeProblem(team.error)}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void team.refetch()}>Load team figures again</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {team.data?.status === "hidden" && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>No team figures yet</MessageBarTitle> {team.data.reason.message} This keeps what each person does in coaching their own.
          </MessageBarBody>
        </MessageBar>
      )}
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
  const { held, planned } = view.sessions;
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
      <ProtectedHoursChart weeks={view.protectedHours.weeks} locale={locale} averagePerParticipantPerWeek={view.protectedHours.averagePerParticipantPerWeek} />
      <ul className={styles.stats} aria-label="Team figures">
        <li className={styles.stat}>
          <Text weight="semibold">Sessions held</Text>
          <span className={styles.figure}>
            {held} of {planned}
          </span>
          {planned > 0 && <ProgressBar value={held / planned} thickness="large" aria-label={`Sessions held: ${percent.format(held / planned)} of those planned`} />}
          <Caption1>
            Planned sessions that took place: at least 2 members in the Teams meeting by its attendance report, or run with the app where there is no report. Skipped ones
            count as planned.
          </Caption1>
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Commitment completion</Text>
          {completion.status === "shown" ? (
            <>
              <span className={styles.figure}>{completion.rate === null ? "No reviews yet" : percent.format(completion.rate)}</span>
              <Caption1>
                Over {completion.reviewed} reviewed commitments: done counts fully, partly done half, changed plans not at all.
              </Caption1>
            </>
          ) : (
            <Caption1>{completion.reason.message}</Caption1>
          )}
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Circles at risk</Text>
          <span className={styles.figure}>
            {view.circles.atRisk} of {view.circles.active}
          </span>
          <Caption1>A circle is at risk when 2 of its last 3 sessions were skipped or not held.</Caption1>
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Per person taking part</Text>
          <span className={styles.figure}>{number.format(view.protectedHours.averagePerParticipantPerWeek)} h a week</span>
          <Caption1>
            {view.protectedHours.blocksProtected} prep and reflection blocks kept, {view.protectedHours.blocksOverridden} overridden by other meetings.
          </Caption1>
        </li>
        <li className={styles.stat}>
          <Text weight="semibold">Protected time kept</Text>
          {blocks > 0 ? (
            <>
              <span className={styles.figure}>{percent.format(kept / blocks)}</span>
              <ProgressBar value={kept / blocks} thickness="large" aria-label={`Protected time kept: ${percent.format(kept / blocks)} of prep and reflection blocks`} />
              <Caption1>
                {kept} of {blocks} prep and reflection blocks kept free; {overridden} had another meeting accepted on top.
              </Caption1>
            </>
          ) : (
            <Caption1>No prep or reflection time was protected in these weeks.</Caption1>
          )}
        </li>
      </ul>
    </>
  );
}
