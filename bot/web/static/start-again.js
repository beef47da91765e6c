// perfbot web demo: the "Start again" control. After a confirm, it asks the server to put the sample
// data and the demo clock back as they were at the start (POST /api/start-again, JSON from this page
// only, as the rest of the API), then reloads the page so every conversation starts afresh.
(() => {
  "use strict";

  const QUESTION = "Start the demo again? Values submitted, notifications and conversations are forgotten, "
    + "and the clock goes back to where it started.";

  async function startAgain(button, result) {
    if (!window.confirm(QUESTION)) return;
    button.disabled = true;
    result.textContent = "Starting again…";
    result.className = "clock-result";
    try {
      const response = await fetch("/api/start-again", {
        method: "POST", credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": "application/json" }, body: "{}",
      });
      const data = await response.json().catch(() => null);
      if (!response.ok) throw new Error((data && data.error) || `The server answered ${response.status}.`);
      window.location.reload();
    } catch (error) {
      result.textContent = error.message;
      result.className = "clock-result error";
      button.disabled = false;
    }
  }

  const button = document.getElementById("start-again");
  const result = document.getElementById("start-again-result");
  button.addEventListener("click", () => startAgain(button, result));
})();
