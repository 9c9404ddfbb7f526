// The device's share sheet (Web Share API), where the browser has one. Without it (or
// without JavaScript) the button stays hidden and the plain share links remain.
(function () {
    "use strict";
    if (typeof navigator.share !== "function") {
        return;
    }
    document.querySelectorAll("[data-share]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator
                .share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
                .catch(function () {
                    // Cancelled by the reader, or refused: nothing to do.
                });
        });
    });
})();
