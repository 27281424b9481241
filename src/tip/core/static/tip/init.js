// Loaded as a module from our own origin, because the Content-Security-Policy forbids inline
// scripts. Pages work without it; it only adds GOV.UK Frontend's enhancements.
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
