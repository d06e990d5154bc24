/**
 * The editor's entry point (bundled by scripts/build-editor.mjs into editor/dist/app.js):
 * renders the application into the page's root element, in the person's language.
 */
import "prosemirror-view/style/prosemirror.css";
import { h, render } from "preact";
import { applyDocumentLanguage } from "./i18n/index.js";
import { App } from "./app/app.js";

applyDocumentLanguage();
const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
render(h(App, {}), root);
