/* global window, document, EventSource, PopStateEvent */
/**
 * Live lists for the AdminJS panel (SPEC §6), loaded on every panel page via
 * AdminJS `assets.scripts`. It opens the panel's event stream and, when a
 * change concerns the resource whose list is open, makes AdminJS re-read that
 * list with the same page, filters and sort: it sets AdminJS's own
 * `refresh=true` flag in the address and lets React Router see it (a
 * popstate), which is how AdminJS refreshes a list after its own actions. The
 * list's useRecords hook then re-fetches and removes the flag again. A small
 * badge shows whether the panel is live.
 *
 * Plain browser JavaScript on purpose: it needs no bundling and does not touch
 * AdminJS's React tree. Configure with `window.qhealthLive = { eventsUrl,
 * rootPath, resources }` before this script when the defaults do not fit.
 */
(function () {
  'use strict';
  var config = window.qhealthLive || {};
  var ROOT = (config.rootPath || '/admin').replace(/\/$/, '');
  var EVENTS_URL = config.eventsUrl || ROOT + '/api/events';
  /** Panel resource id → the live resource whose changes refresh its list. */
  var RESOURCES = config.resources || {
    Diagnostics: 'diagnostic',
    Requests: 'appointment',
    Appointments: 'appointment',
    Journal: 'journalEntry',
    Prescriptions: 'prescription',
  };
  var DEBOUNCE_MS = 300;
  var MAX_WAIT_MS = 1000;
  var REOPEN_AFTER_MS = 15000;

  var source = null;
  var lastEventId = null;
  var ended = false;
  var timer = null;
  var firstAt = 0;
  var badge = null;

  /** The live resource of the list on screen, or null when no live list is open. */
  function openListResource() {
    var path = window.location.pathname;
    if (path.indexOf(ROOT + '/resources/') !== 0) return null;
    var parts = path.slice(ROOT.length + '/resources/'.length).split('/');
    var isList = parts.length === 1 || (parts.length === 3 && parts[1] === 'actions' && parts[2] === 'list');
    return isList ? RESOURCES[decodeURIComponent(parts[0])] || null : null;
  }

  function reloadList() {
    timer = null;
    firstAt = 0;
    var url = new URL(window.location.href);
    url.searchParams.set('refresh', 'true');
    var state = window.history.state;
    window.history.replaceState(state, '', url.toString());
    window.dispatchEvent(new PopStateEvent('popstate', { state: state }));
  }

  function scheduleReload() {
    var now = Date.now();
    if (!firstAt) firstAt = now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(reloadList, Math.max(0, Math.min(DEBOUNCE_MS, firstAt + MAX_WAIT_MS - now)));
  }

  function setState(state) {
    if (!badge) {
      badge = document.createElement('div');
      badge.setAttribute('role', 'status');
      badge.setAttribute('aria-live', 'polite');
      badge.style.cssText = 'position:fixed;right:12px;bottom:12px;z-index:9999;padding:4px 10px;border-radius:12px;' +
        'font:12px/1.4 Roboto,sans-serif;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.2);pointer-events:none';
      document.body.appendChild(badge);
    }
    var looks = {
      live: ['#0f766e', 'Live'],
      connecting: ['#b45309', 'Connecting…'],
      offline: ['#6b7280', 'Not live — reload to refresh'],
    }[state];
    badge.dataset.state = state;
    badge.style.color = looks[0];
    badge.textContent = '● ' + looks[1];
  }

  function open() {
    if (typeof EventSource === 'undefined' || ended) return setState('offline');
    var url = lastEventId ? EVENTS_URL + '?lastEventId=' + encodeURIComponent(lastEventId) : EVENTS_URL;
    source = new EventSource(url, { withCredentials: true });
    setState('connecting');
    source.onopen = function () { setState('live'); };
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        setState('offline');
        setTimeout(open, REOPEN_AFTER_MS);
      } else {
        setState('connecting');
      }
    };
    source.addEventListener('change', function (e) {
      if (e.lastEventId) lastEventId = e.lastEventId;
      var change;
      try { change = JSON.parse(e.data); } catch { return; }
      var listed = openListResource();
      if (listed && change && change.resource === listed) scheduleReload();
    });
    source.addEventListener('reset', function (e) {
      if (e.lastEventId) lastEventId = e.lastEventId;
      if (openListResource()) scheduleReload();
    });
    source.addEventListener('end', function () {
      ended = true;
      source.close();
      source = null;
      setState('offline');
    });
  }

  // The login page has no session yet; the panel proper is everything else.
  if (window.location.pathname.indexOf(ROOT + '/login') === 0) return;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', open);
  else open();
})();
