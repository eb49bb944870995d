// Classic script, so it also runs from file://, where module scripts and workers are refused:
// there it says the page needs HTTP; over HTTP it loads the playground module.
(() => {
  const status = document.getElementById("sql-status");
  if (location.protocol === "file:") {
    status.textContent =
      "This playground needs the site served over HTTP: run `ownstats dev` and open /reports/sql.html, or put the site on any static host. Opened from disk, browsers refuse to start its database engine.";
    return;
  }
  status.textContent = "Loading the database engine…";
  import("./playground.js").catch((error) => {
    status.textContent = `The playground could not start: ${error.message}`;
  });
})();
