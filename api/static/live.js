/* Live suggestions: WS /v1/live (protocol: docs/upsell.md). The session cookie
   authenticates the handshake server-side; this script never holds the API key. */
"use strict";

(() => {
  const { esc, label, badge, clock } = CS;
  const $ = (id) => document.getElementById(id);
  let ws = null;
  let clockStart = Date.now();

  function status(text, cls) {
    $("live-status").textContent = text;
    $("live-status").className = "badge " + (cls || "");
  }

  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(`${proto}//${location.host}/v1/live`);
    status("连接中…");
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      handle(msg);
    };
    ws.onclose = (ev) => {
      status(ev.reason ? `已断开：${ev.reason}` : "已断开", "risk-high");
      $("live-send").disabled = true;
    };
  }

  function addTurn(speaker, text, start) {
    $("live-turns").insertAdjacentHTML("beforeend", `<div class="turn turn-${esc(speaker)}">
      <div class="turnmeta"><span class="spk">${esc(label("speaker", speaker))}</span><span class="ts">${clock(start)}</span></div>
      <div class="bubble">${esc(text)}</div></div>`);
    $("live-turns").scrollTop = $("live-turns").scrollHeight;
  }

  function handle(msg) {
    if (msg.type === "ready") { status(`已连接 · ${msg.user}`, "st-dismissed"); $("live-send").disabled = false; return; }
    if (msg.type === "transcript") { addTurn(msg.speaker, msg.text, msg.start); return; }
    if (msg.type === "error") { CS.toast(`${msg.code}：${msg.message}`, "err"); return; }
    if (!msg.opening) return;
    const op = msg.opening;
    const box = $("live-suggestions");
    if (!box.querySelector(".opening")) box.innerHTML = "";
    if (msg.type === "suggestion" || msg.type === "recovery") {  // recovery: the customer complains (qa/recovery.py)
      const scripts = (msg.scripts || []).map((s) => `<div class="script"><div class="small">${badge(label("script", s.kind), "kw")}
        ${esc(s.product_name || "")}${s.risk_level ? " · " + esc(s.risk_level) : ""}</div><p>${esc(s.text)}</p></div>`).join("");
      box.insertAdjacentHTML("afterbegin", `<div class="opening live-suggestion"><div class="fhead">${badge(label("opening", op.type), "op")}
        <span class="small muted">延迟 ${esc(msg.latency_ms)} ms</span></div>${scripts || '<p class="muted small">话术库中暂无适合该客户的话术。</p>'}</div>`);
    } else {
      const text = { taken: "坐席已开口", missed: "机会未把握" }[msg.type] || msg.type;
      box.insertAdjacentHTML("afterbegin", `<div class="opening small">${badge(label("opening", op.type), "op")} ${esc(text)}</div>`);
    }
  }

  $("live-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = $("live-text").value.trim();
    if (!text || !ws || ws.readyState !== WebSocket.OPEN) return;
    const start = (Date.now() - clockStart) / 1000;
    const speaker = $("live-speaker").value;
    ws.send(JSON.stringify({ type: "turn", speaker, text, start, end: start + text.length / 4.5 }));
    addTurn(speaker, text, start);
    $("live-text").value = "";
    $("live-speaker").value = speaker === "customer" ? "agent" : "customer";
  });
  $("live-reset").addEventListener("click", () => {
    if (ws) ws.close();
    $("live-turns").innerHTML = "";
    $("live-suggestions").innerHTML = '<p class="muted">暂无建议。</p>';
    clockStart = Date.now();
    connect();
  });
  $("live-send").disabled = true;
  connect();
})();
