import { mountSurface } from "../app-root";
import { TabPage } from "./tab-page";

mountSurface(<TabPage />);
