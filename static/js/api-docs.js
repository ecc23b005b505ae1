// /api/docs: Swagger UI (served by this app from the flask-swagger-ui package, no CDN) over the
// OpenAPI document. Examples show as the request and response samples of each operation.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle !== "function") return;
  SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: false, // its links inside each operation's summary button are controls nested in a control
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    validatorUrl: null, // the default validator is a remote service
  });
  // Swagger UI renders the server list without a label; name it whenever it is (re)drawn.
  new MutationObserver(() => {
    const servers = root.querySelector("select#servers:not([aria-label])");
    if (servers) servers.setAttribute("aria-label", "Server");
  }).observe(root, { childList: true, subtree: true });
});
