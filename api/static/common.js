/* Shared helpers of the console: API calls (the session cookie authenticates them;
   the X-Callsight-UI header marks our own writes), escaping, formatting, labels. */
"use strict";

const CS = (() => {
  const ME = {
    id: Number(document.body.dataset.userId || 0),
    role: document.body.dataset.role || "",
    agent: document.body.dataset.agent || "",
    senior: !!document.body.dataset.senior,
  };

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, opts = {}) {
    const init = { method: opts.method || "GET", headers: { "X-Callsight-UI": "1" }, credentials: "same-origin" };
    if (opts.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(opts.body);
    }
    const resp = await fetch(path, init);
    if (resp.status === 401) {
      location.href = "/ui/login?next=" + encodeURIComponent(location.pathname + location.search);
      throw new ApiError(401, "unauthorized", "登录已失效");
    }
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
    if (!resp.ok) {
      const err = (data && data.error) || {};
      throw new ApiError(resp.status, err.code || "http_" + resp.status, err.message || resp.statusText);
    }
    return data;
  }

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => (
      { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") u.set(k, v);
    const s = u.toString();
    return s ? "?" + s : "";
  }

  function clock(sec) {
    if (sec == null || isNaN(sec)) return "–";
    const s = Math.max(0, Math.floor(sec));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }

  // Stored times are instants (UTC); people read them in the deployment's zone
  // (body data-tz, Asia/Shanghai by default), not the browser's.
  const TZ = (document.body && document.body.dataset.tz) || "Asia/Shanghai";
  let tzFormat = null;
  function dt(iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    if (isNaN(d)) return esc(iso);
    if (!tzFormat) {
      tzFormat = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit",
                                                   hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    }
    const part = {};
    for (const x of tzFormat.formatToParts(d)) part[x.type] = x.value;
    return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
  }

  function score(v) { return v == null ? "–" : Number(v).toFixed(1); }

  // A score with "不合格" in words below the pass mark (the review's low-score threshold), not by colour only.
  const PASS = Number(document.body.dataset.pass || 60);
  function scoreCell(v, id = "") {
    const fail = v != null && Number(v) < PASS;
    return `<span class="score${fail ? " score-fail" : ""}"${id ? ` id="${id}"` : ""}>${score(v)}${fail ? ' <span class="failtag">不合格</span>' : ""}</span>`;
  }

  const L = {
    severity: { fatal: "致命", major: "严重", minor: "一般" },
    findingStatus: { auto: "待审核", confirmed: "已确认", dismissed: "已驳回" },
    reviewState: { none: "无需审核", queued: "待审核", in_review: "审核中", reviewed: "已审核", closed: "已结案" },
    kind: { flagged: "预警", sample: "抽检", manual: "人工加入" },
    callStatus: { queued: "排队中", transcribing: "转写中", analysing: "分析中", done: "已完成", failed: "失败" },
    appealStatus: { open: "待裁决", upheld: "维持原判", overturned: "已撤销", void: "已作废" },
    speaker: { agent: "坐席", customer: "客户" },
    risk: { high: "高", low: "低", none: "无" },
    sentiment: { negative: "负面", neutral: "中性", positive: "正面" },
    priority: { high: "高", normal: "普通" },
    // Opening types and intents come from the server (core/enums.py, #cs-labels); these two
    // are pseudo-openings of next actions and live events.
    opening: { "*": "风险测评", complaint: "客户投诉" },
    script: { meeting: "邀约", recovery: "服务补救", product: "产品" },
    intent: {},
    direction: { inbound: "呼入", outbound: "外呼" },
    metric: { volume: "来电量", complaint_rate: "投诉率", negative_share: "负面情绪占比" },
  };
  const served = JSON.parse((document.getElementById("cs-labels") || {}).textContent || "{}");
  Object.assign(L.opening, served.opening || {});
  Object.assign(L.intent, served.intent || {});
  function label(group, key) { return (L[group] && L[group][key]) || key || "–"; }

  function errorText(err) {
    if (err && err.status === 403) return "无权查看（403）：" + err.message;
    if (err && err.status === 404) return "未找到（404）：" + err.message;
    if (err && err.status === 409) return "操作冲突（409）：" + err.message;
    if (err && err.status) return `请求失败（${err.status}）：${err.message}`;
    return "请求失败：" + (err && err.message ? err.message : String(err));
  }

  function showError(el, err) {
    el.innerHTML = `<div class="alert alert-error" data-status="${esc(err && err.status)}">${esc(errorText(err))}</div>`;
  }

  let toastTimer = null;
  function toast(msg, kind = "ok") {
    const t = document.getElementById("toast");
    if (!t) return;
    t.textContent = msg;
    t.className = "toast show toast-" + kind;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.className = "toast"; }, 3200);
  }

  // A form's day as the API's bound: the start of that day, or (inclusive "to") the start of the next, Beijing time.
  function dayBound(d, isEnd = false) {
    if (!d) return null;
    if (!isEnd) return d + "T00:00:00+08:00";
    const x = new Date(d + "T00:00:00Z");
    x.setUTCDate(x.getUTCDate() + 1);
    return x.toISOString().slice(0, 10) + "T00:00:00+08:00";
  }

  function badge(text, cls) { return `<span class="badge ${esc(cls || "")}">${esc(text)}</span>`; }

  function params() { return new URLSearchParams(location.search); }

  return { ME, api, esc, qs, clock, dt, score, scoreCell, label, errorText, showError, toast, badge, params, dayBound, ApiError };
})();
