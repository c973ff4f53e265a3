import { waitForOffice } from "../../host";
import { mountSurface } from "../app-root";
import { TaskpanePage } from "./taskpane-page";

mountSurface(<TaskpanePage />, { prefer: "office", waitForOffice: () => waitForOffice() });
