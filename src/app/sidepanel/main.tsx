import { mountSurface } from "../app-root";
import { SidePanelPage } from "./side-panel-page";

mountSurface(<SidePanelPage />);
