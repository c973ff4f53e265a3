import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { PeopleTeamAdd24Regular } from "@fluentui/react-icons";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/**
 * The call to action for forming a circle. The guided create flow is the next slice of work;
 * until then the dialog explains what creating a circle will involve (an honest state, not a stub).
 */
export function CreateCircleDialog() {
  const styles = useStyles();
  return (
    <Dialog modalType="modal">
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="primary" icon={<PeopleTeamAdd24Regular />}>
          Create a circle
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Create a circle</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>A circle is 3–8 colleagues (or a pair) who meet on a steady rhythm to coach each other. You'll:</Text>
            <ul className={styles.list}>
              <li>pick the members and write the circle's purpose,</li>
              <li>agree a charter: confidentiality, listening, timeboxing,</li>
              <li>choose a format and a cadence, and find a time that's fair to everyone.</li>
            </ul>
            <Text>Creating circles here is coming very soon. Until then, your program owner can set one up for you.</Text>
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="primary">Got it</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
