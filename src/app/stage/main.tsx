import { StageView } from "../../features/meeting/stage-view";
import { mountSurface } from "../app-root";

mountSurface(<StageView />);
