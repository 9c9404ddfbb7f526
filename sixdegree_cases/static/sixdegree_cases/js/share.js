// The device's share sheet (Web Share API), where the browser has one. Without it (or
// without JavaScript) its list item stays hidden (no empty bullet in an unstyled host) and
// the plain share links remain.
(function () {
    "use strict";
    if (typeof navigator.share !== "function") {
        return;
    }
    document.querySelectorAll("[data-share]").forEach(function (button) {
        const item = button.closest("[data-share-item]");
        if (item) {
            item.hidden = false;
        }
        button.addEventListener("click", function () {
            navigator
                .share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl })
                .catch(function () {
                    // Cancelled by the reader, or refused: nothing to do.
                });
        });
    });
})();
