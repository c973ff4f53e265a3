import { mountSurface } from "../app-root";
import { ConfigPage } from "./config-page";

mountSurface(<ConfigPage />);
