import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Caption1, Text } from "@fluentui/react-components";
import type { SessionView } from "../session-api";
import type { Connection } from "../use-live-session";
import { usePanelStyles } from "./panel-layout";

/** The circle's name, the session's date, the live-updates status and the charter reminder. */
export function SessionHeader({ session, connection }: { session: SessionView; connection: Connection }) {
  const styles = usePanelStyles();
  return (
    <div className={styles.section}>
      <Text as="h2" size={500} weight="semibold" className={styles.heading}>
        {session.circle.name}
      </Text>
      <Caption1>Session of {session.occurrenceDate}</Caption1>
      {connection !== "live" && connection !== "connecting" ? (
        <Caption1 role="status">{connection === "unavailable" ? "Live updates aren't available in this browser." : "Reconnecting to live updates…"}</Caption1>
      ) : null}
      {session.circle.charter.length > 0 ? (
        <Accordion collapsible>
          <AccordionItem value="charter">
            <AccordionHeader size="small">Our charter</AccordionHeader>
            <AccordionPanel>
              <ul className={styles.list}>
                {session.circle.charter.map((rule, i) => (
                  <li key={i}>{rule}</li>
                ))}
              </ul>
            </AccordionPanel>
          </AccordionItem>
        </Accordion>
      ) : null}
    </div>
  );
}
