// synth web app: keyboard labelling on the claims table and job progress polling.
// Plain JavaScript, shipped inside the package: no CDN, no build step.
"use strict";

const CSRF = () => document.querySelector('meta[name="csrf-token"]').content;
const LABELS = { "1": "supported", "2": "refuted", "3": "nei" };
const NAMES = { SUPPORTED: "supported", REFUTED: "refuted", NOT_ENOUGH_INFO: "not enough info" };

function claimsTable() {
  const table = document.getElementById("claims");
  if (!table) return;
  const rows = Array.from(table.querySelectorAll("tbody tr[data-claim-id]"));
  if (!rows.length) return;
  let current = 0;
  const select = (i) => {
    rows[current].classList.remove("current");
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows[current].classList.add("current");
    rows[current].scrollIntoView({ block: "nearest" });
  };
  select(0);
  rows.forEach((row, i) => row.addEventListener("click", () => select(i)));
  document.addEventListener("keydown", async (event) => {
    const target = event.target;
    if (target.closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const row = rows[current];
    if (event.key === "j") select(current + 1);
    else if (event.key === "k") select(current - 1);
    else if (event.key === "Enter") window.location = "/claims/" + row.dataset.claimId;
    else if (LABELS[event.key]) {
      event.preventDefault();
      await label(row, LABELS[event.key]);
      select(current + 1);
    }
  });
}

async function label(row, value) {
  const cell = row.querySelector("td.human");
  const response = await fetch("/api/claims/" + row.dataset.claimId + "/labels", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF() },
    credentials: "same-origin",
    body: JSON.stringify({ label: value, note: "" }),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    cell.innerHTML = "";
    const span = document.createElement("span");
    span.className = "error";
    span.textContent = body.message || "not saved (" + response.status + ")";
    cell.appendChild(span);
    return;
  }
  const saved = await response.json();
  cell.innerHTML = "";
  const span = document.createElement("span");
  span.className = "verdict " + saved.label;
  span.textContent = NAMES[saved.label] || saved.label;
  cell.appendChild(span);
}

function jobProgress() {
  const box = document.getElementById("job");
  if (!box) return;
  const poll = async () => {
    const response = await fetch("/api/jobs/" + box.dataset.jobId);
    if (!response.ok) return;
    const job = await response.json();
    box.dataset.status = job.status;
    box.querySelector(".job-status").textContent = job.status;
    box.querySelector(".job-stage").textContent = job.stage || "";
    const bar = box.querySelector(".job-progress");
    if (job.percent === null) bar.removeAttribute("value");
    else bar.value = job.percent;
    const result = box.querySelector(".job-result");
    if (job.status === "done" && job.run_id) {
      result.innerHTML = "";
      const link = document.createElement("a");
      link.href = "/runs/" + job.run_id;
      link.textContent = "run " + job.run_id;
      result.append("Done: ", link);
    } else if (job.status === "failed") {
      result.innerHTML = "";
      const span = document.createElement("span");
      span.className = "error";
      span.textContent = job.error;
      result.appendChild(span);
    }
    if (job.status === "queued" || job.status === "running") setTimeout(poll, 1000);
  };
  if (box.dataset.status === "queued" || box.dataset.status === "running") poll();
}

function claimPage() {
  // On a claim's page, 1/2/3 press the label form's buttons (the note field types normally).
  const form = document.querySelector("form.label-form");
  if (!form || document.getElementById("claims")) return;
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!LABELS[event.key]) return;
    event.preventDefault();
    form.querySelector('button[value="' + LABELS[event.key] + '"]').click();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  claimsTable();
  claimPage();
  jobProgress();
});
