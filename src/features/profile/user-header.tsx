import { Persona, Skeleton, SkeletonItem, makeStyles, tokens } from "@fluentui/react-components";
import { ProblemNotice } from "../../components/problem-notice";
import { useMe } from "./use-me";

const useStyles = makeStyles({
  skeleton: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS, width: "240px", maxWidth: "100%" },
  lines: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, flexGrow: 1 },
});

/** Who is signed in, and the time zone every time in the app is shown in. */
export function UserHeader() {
  const styles = useStyles();
  const me = useMe();
  if (me.isPending) {
    return (
      <Skeleton aria-label="Loading your profile" className={styles.skeleton}>
        <SkeletonItem shape="circle" size={40} />
        <div className={styles.lines}>
          <SkeletonItem size={16} />
          <SkeletonItem size={12} />
        </div>
      </Skeleton>
    );
  }
  if (me.isError) {
    return <ProblemNotice title="We couldn't load your profile." error={me.error} onRetry={() => void me.refetch()} />;
  }
  return (
    <Persona
      name={me.data.displayName}
      secondaryText={`Times shown in ${me.data.timeZone}`}
      avatar={{ color: "colorful", "aria-hidden": true }}
      size="large"
    />
  );
}
