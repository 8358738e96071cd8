// Starts Swagger UI on /api/docs (app/api/docs.py) from a file, not inline: the CSP runs no inline script.
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: box.getAttribute("data-spec-url"),
    domNode: box,
    deepLinking: true,
    validatorUrl: null, // no call to the public validator: nothing leaves this server
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
