// memberdesk web UI: progressive enhancement only. Every page works without this script.
"use strict";
