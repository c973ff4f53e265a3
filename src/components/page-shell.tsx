import { makeStyles, mergeClasses, tokens, Title2 } from "@fluentui/react-components";
import type { ReactNode } from "react";

const useStyles = makeStyles({
  main: {
    boxSizing: "border-box",
    width: "100%",
    maxWidth: "960px",
    marginLeft: "auto",
    marginRight: "auto",
    paddingTop: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalXXL,
    paddingLeft: tokens.spacingHorizontalL,
    paddingRight: tokens.spacingHorizontalL,
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalL,
    // Long names and URLs wrap instead of pushing the page sideways at 320 px.
    overflowWrap: "anywhere",
    minWidth: 0,
  },
  header: { display: "flex", flexWrap: "wrap", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalM },
  title: { margin: 0 },
});

/** Every surface's frame: one `<main>` landmark with exactly one h1. */
export function PageShell({
  title,
  headerExtra,
  className,
  children,
}: {
  title: ReactNode;
  headerExtra?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <main className={mergeClasses(styles.main, className)}>
      <header className={styles.header}>
        <Title2 as="h1" className={styles.title}>
          {title}
        </Title2>
        {headerExtra}
      </header>
      {children}
    </main>
  );
}
