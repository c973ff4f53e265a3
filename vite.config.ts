import { cp, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { basename, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));
const appRoot = resolve(here, "src/app");
const outDir = resolve(here, "dist");
const officeJsDist = resolve(here, "node_modules/@microsoft/office-js/dist");

/** Every surface is one page: src/app/<surface>/index.html → dist/<surface>/index.html. */
export const surfaces = ["tab", "sidepanel", "stage", "config", "taskpane"] as const;

// office.js picks its host script (outlook-web-16.01.js …) and strings (en-us/outlook_strings.js …)
// at run time, relative to its own URL. We ship what Outlook needs and leave out the other hosts,
// debug builds and type files (the full package is ~86 MB; this keeps the copy to a few MB).
const otherOfficeHosts = /^(excel|word|powerpoint|onenote|project|access|visio)-/;
function isOfficeFileWeShip(path: string): boolean {
  const name = basename(path);
  if (name.endsWith(".debug.js") || name.endsWith(".d.ts") || name === "office-vsdoc.js") return false;
  return !otherOfficeHosts.test(name);
}

/** Copies office.js into dist/vendor/office-js/ so the task pane never needs a CDN. */
function officeJsVendor(): Plugin {
  return {
    name: "coaching-circles:office-js-vendor",
    apply: "build",
    async writeBundle() {
      await cp(officeJsDist, join(outDir, "vendor/office-js"), {
        recursive: true,
        filter: (src) => isOfficeFileWeShip(src),
      });
    },
  };
}

/** Dev server: serves the same path straight from node_modules. */
function officeJsDevServer(): Plugin {
  const types: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".css": "text/css" };
  return {
    name: "coaching-circles:office-js-dev",
    apply: "serve",
    configureServer(server) {
      server.middlewares.use("/vendor/office-js", (req, res, next) => {
        const path = normalize(join(officeJsDist, decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/")));
        if (!path.startsWith(officeJsDist + sep)) return next();
        stat(path)
          .then((s) => {
            if (!s.isFile()) return next();
            res.setHeader("Content-Type", types[extname(path)] ?? "application/octet-stream");
            createReadStream(path).pipe(res);
          })
          .catch(() => next());
      });
    },
  };
}

export default defineConfig({
  root: appRoot,
  base: "/",
  publicDir: false,
  plugins: [react(), officeJsVendor(), officeJsDevServer()],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments Rollup can't place; harmless, and noise hides real warnings.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules")) return;
        warn(warning);
      },
      input: Object.fromEntries(surfaces.map((s) => [s, resolve(appRoot, s, "index.html")])),
    },
  },
});
