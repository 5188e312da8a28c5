// boot.js: starts the wasm console, or explains in Vietnamese and English why it cannot.
//
// 1. Checks WebAssembly and WebGL2 before downloading anything large.
// 2. Defines `Module` for Emscripten's console.js, then loads console.js.
// 3. The wasm calls window.consoleBoot.ready() once it knows its mode (a server answered,
//    or the offline demo) and has drawn it (and sets window.consoleReady = true), or
//    window.consoleBoot.fail(reason, detail).
// 4. Defines window.consolePlatform, what web/platform/platform_emscripten.cpp calls: the text
//    agent (input methods, phone keyboards), the system clipboard, the address and waking
//    the main loop (see web/platform/platform.hpp for what each is for).
(function () {
  'use strict';

  var messages = {
    wasm: {
      titleVi: 'Trình duyệt chưa hỗ trợ WebAssembly',
      textVi: 'Bảng điều khiển cần WebAssembly để chạy. Hãy mở trang bằng phiên bản mới của ' +
        'Chrome, Edge, Firefox hoặc Safari.',
      titleEn: 'This browser does not support WebAssembly',
      textEn: 'The console needs WebAssembly. Please open this page in a recent Chrome, Edge, ' +
        'Firefox or Safari.',
    },
    webgl: {
      titleVi: 'Không khởi tạo được WebGL2',
      textVi: 'Bảng điều khiển vẽ bằng WebGL2, nhưng trình duyệt này không cho phép. Hãy bật ' +
        'tăng tốc phần cứng trong cài đặt trình duyệt, hoặc dùng một trình duyệt khác.',
      titleEn: 'WebGL2 is not available',
      textEn: 'The console draws with WebGL2, which this browser does not allow. Turn on ' +
        'hardware acceleration in the browser settings, or use another browser.',
    },
    load: {
      titleVi: 'Không tải được bảng điều khiển',
      textVi: 'Một phần của ứng dụng không tải về được. Hãy kiểm tra kết nối mạng rồi tải lại trang.',
      titleEn: 'The console could not be loaded',
      textEn: 'Part of the application failed to download. Check your connection and reload ' +
        'the page.',
    },
    crash: {
      titleVi: 'Bảng điều khiển gặp lỗi và đã dừng',
      textVi: 'Đã xảy ra lỗi không mong muốn. Hãy tải lại trang; nếu lỗi lặp lại, vui lòng báo ' +
        'cho bộ phận hỗ trợ.',
      titleEn: 'The console hit an error and stopped',
      textEn: 'Something unexpected went wrong. Reload the page; if it happens again, please ' +
        'tell support.',
    },
  };

  // The build's version, as index.html named this script (boot.js?v=...): console.js and
  // console.wasm are asked for with it, so a browser may keep them until the next build.
  var siteVersion = '';
  try {
    siteVersion = new URL(document.currentScript.src).searchParams.get('v') || '';
  } catch (error) {}
  function versioned(path) {
    return siteVersion ? path + '?v=' + encodeURIComponent(siteVersion) : path;
  }

  var canvas = document.getElementById('canvas');
  var loading = document.getElementById('loading');
  var failure = document.getElementById('failure');
  var failed = false;
  var slowTimer = 0;

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function fail(reason, detail) {
    if (failed) return;
    failed = true;
    window.clearTimeout(slowTimer);
    var message = messages[reason] || messages.crash;
    setText('failure-title-vi', message.titleVi);
    setText('failure-text-vi', message.textVi);
    setText('failure-title-en', message.titleEn);
    setText('failure-text-en', message.textEn);
    setText('failure-detail', detail ? String(detail) : '');
    loading.hidden = true;
    canvas.hidden = true;
    failure.hidden = false;
    window.consoleFailed = reason;
  }

  function ready() {
    if (failed) return;
    window.clearTimeout(slowTimer);
    loading.classList.add('done');
    window.setTimeout(function () { loading.hidden = true; }, 250);
  }

  window.consoleBoot = { fail: fail, ready: ready };
  document.getElementById('failure-reload').addEventListener('click', function () {
    window.location.reload();
  });

  function supportsWebAssembly() {
    try {
      if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
        return false;
      }
      // The smallest valid module: magic number and version.
      var module = new WebAssembly.Module(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
      return module instanceof WebAssembly.Module;
    } catch (error) {
      return false;
    }
  }

  function supportsWebGL2() {
    try {
      var probe = document.createElement('canvas');
      return !!(window.WebGL2RenderingContext && probe.getContext('webgl2'));
    } catch (error) {
      return false;
    }
  }

  if (!supportsWebAssembly()) {
    fail('wasm');
    return;
  }
  if (!supportsWebGL2()) {
    fail('webgl');
    return;
  }

  // SDL cancels the mouse's default action, which is also what would give the canvas the
  // keyboard focus: without this, a click into a text field of the console could not be
  // followed by typing. Capture phase, so that it runs before SDL's handler.
  // While the text agent has the keyboard, a click into the console's field keeps it there.
  canvas.addEventListener('pointerdown', function () {
    if (document.activeElement !== canvas && document.activeElement !== agent) {
      canvas.focus({ preventScroll: true });
    }
  }, true);

  // [SECTION] Waking the console ----------------------------------------------------------
  // The wasm stops drawing while nothing happens; anything that may change what it shows
  // wakes it (web/main.cpp). Before the wasm is up there is nothing to wake.
  function wake() {
    if (window.Module && typeof window.Module._console_wake === 'function') window.Module._console_wake();
  }
  function callWasm(name, text) {
    var module = window.Module;
    if (!module || typeof module.ccall !== 'function' || typeof module['_' + name] !== 'function') return;
    if (text === undefined) module.ccall(name, null, [], []);
    else module.ccall(name, null, ['string'], [text]);
  }

  // [SECTION] The text agent ---------------------------------------------------------------
  // A hidden textarea that has the keyboard focus while the console wants text, at the
  // caret of the console's field: the browser's input method (Telex, VNI, pinyin, phone
  // keyboards) types into it, and what it commits goes to the wasm in order with the keys.
  // A textarea, not an input: Android's password bar shows for inputs.
  var agent = document.createElement('textarea');
  agent.id = 'text-agent';
  agent.setAttribute('autocomplete', 'off');
  agent.setAttribute('autocorrect', 'off');
  agent.setAttribute('autocapitalize', 'off');
  agent.setAttribute('spellcheck', 'false');
  agent.setAttribute('tabindex', '-1');
  agent.setAttribute('aria-label', 'Nhập văn bản / Text input');
  document.body.appendChild(agent);
  var agentState = { wanted: false, composing: false, composition: '', compositionEndedAt: -1e9,
                     realBackspace: false };

  function commit(text) {
    if (text) callWasm('console_agent_text', text);
  }
  agent.addEventListener('compositionstart', function () {
    agentState.composing = true;
    agentState.composition = '';
    agent.value = '';
    wake();
  });
  agent.addEventListener('compositionupdate', function (event) {
    agentState.composition = event.data || '';
    wake();
  });
  agent.addEventListener('compositionend', function (event) {
    agentState.composing = false;
    agentState.composition = '';
    agentState.compositionEndedAt = performance.now();
    agent.value = '';
    commit(event.data);
  });
  agent.addEventListener('input', function (event) {
    if (event.isComposing || agentState.composing) return;
    // A deletion the keyboard reported without a Backspace key (Android sends keyCode 229).
    if (event.inputType === 'deleteContentBackward' && !agentState.realBackspace) {
      callWasm('console_agent_backspace');
    }
    var text = agent.value;
    agent.value = '';
    commit(text);
  });
  // Keys of the input method are its own (picking a candidate, editing the composition):
  // SDL must not see them. Safari fires compositionend before the Enter that confirms it.
  function isInputMethodKey(event) {
    return event.isComposing || event.keyCode === 229 ||
      (event.key === 'Enter' && performance.now() - agentState.compositionEndedAt < 30);
  }
  agent.addEventListener('keydown', function (event) {
    agentState.realBackspace = event.key === 'Backspace' && event.keyCode !== 229;
    if (isInputMethodKey(event)) event.stopPropagation();
  });
  agent.addEventListener('keyup', function (event) {
    if (isInputMethodKey(event)) event.stopPropagation();
  });
  // SDL cancels every keypress while it takes text from them, and then the browser would
  // not put the character into the agent: the agent's characters are not SDL's business.
  agent.addEventListener('keypress', function (event) { event.stopPropagation(); });
  // iOS opens its keyboard only for a focus() made inside a user gesture.
  canvas.addEventListener('touchend', function () {
    if (agentState.wanted) {
      agent.blur();
      agent.focus({ preventScroll: true });
    }
  });

  function updateAgent(wanted, x, y, lineHeight) {
    agentState.wanted = wanted;
    if (wanted) {
      var rect = canvas.getBoundingClientRect();
      agent.style.left = Math.round(rect.left + Math.max(0, Math.min(x, rect.width - 2))) + 'px';
      agent.style.top = Math.round(rect.top + Math.max(0, Math.min(y, rect.height - 2))) + 'px';
      agent.style.height = Math.max(1, Math.round(lineHeight)) + 'px';
      if (document.activeElement !== agent) agent.focus({ preventScroll: true });
    } else if (document.activeElement === agent) {
      agentState.composing = false;
      agentState.composition = '';
      agent.value = '';
      agent.blur();
      canvas.focus({ preventScroll: true });
    }
  }

  // [SECTION] System clipboard ----------------------------------------------------------------
  // SDL cancels Ctrl+C/X/V, and then the browser fires no copy, cut or paste event: for those
  // three keys its cancel is made a no-op, so that SDL (and ImGui) still see the key and the
  // browser still fires the event. Paste comes before ImGui reads the clipboard (next frame).
  var clipboard = { pasted: null, copied: '', selection: '', writing: null };
  window.addEventListener('keydown', function (event) {
    var key = (event.key || '').toLowerCase();
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === 'c' || key === 'x' || key === 'v')) {
      event.preventDefault = function () {};
    }
  }, true);
  function onCopy(event) {
    var text = clipboard.writing !== null ? clipboard.writing : clipboard.selection;
    if (!text || !event.clipboardData) return;
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
    clipboard.copied = text;
  }
  document.addEventListener('copy', onCopy);
  document.addEventListener('cut', onCopy);
  document.addEventListener('paste', function (event) {
    if (!event.clipboardData) return;
    clipboard.pasted = event.clipboardData.getData('text/plain');
    event.preventDefault();
    wake();
  });
  function writeClipboard(text) {
    clipboard.copied = text;
    clipboard.pasted = null;
    if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function' && window.isSecureContext) {
      navigator.clipboard.writeText(text).catch(function () {});
      return;
    }
    // Not a secure context (a shop's LAN address over http): the old way, through a copy event.
    clipboard.writing = text;
    try { document.execCommand('copy'); } catch (error) {}
    clipboard.writing = null;
  }

  // [SECTION] Address ----------------------------------------------------------------------------
  var address = { changed: false, settingTo: null };
  window.addEventListener('hashchange', function () {
    if (address.settingTo !== null && window.location.hash === address.settingTo) {
      address.settingTo = null;   // the console's own change: it knows
      return;
    }
    address.changed = true;
    wake();
  });
  function setHash(hash, replace) {
    if (window.location.hash === hash) return;
    if (replace) {
      window.history.replaceState(window.history.state, '', hash);
    } else {
      address.settingTo = hash;
      window.location.hash = hash;
    }
  }

  window.consolePlatform = {
    wake: wake,
    updateAgent: updateAgent,
    composition: function () { return agentState.composing ? agentState.composition : ''; },
    isApple: function () { return /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent || ''); },
    writeClipboard: writeClipboard,
    readClipboard: function () { return clipboard.pasted !== null ? clipboard.pasted : clipboard.copied; },
    setSelection: function (text) { clipboard.selection = text; },
    hash: function () { return window.location.hash; },
    setHash: setHash,
    takeHashChanged: function () { var changed = address.changed; address.changed = false; return changed; },
    wakeAfter: function (delayMs) { window.setTimeout(wake, Math.max(0, delayMs)); },
    frameDrawn: function () { window.consoleFramesDrawn = (window.consoleFramesDrawn || 0) + 1; },
  };
  window.consoleFramesDrawn = 0;
  // What the wasm cannot see through SDL: a new size or density, the tab shown again.
  window.addEventListener('resize', wake);
  document.addEventListener('visibilitychange', wake);
  // A new density at the same CSS size (zoom, another screen) fires no resize.
  function watchDensity() {
    if (!window.matchMedia) return;
    var query = window.matchMedia('(resolution: ' + (window.devicePixelRatio || 1) + 'dppx)');
    var onChange = function () {
      query.removeEventListener('change', onChange);
      wake();
      watchDensity();
    };
    query.addEventListener('change', onChange);
  }
  watchDensity();
  // Not every browser tells (nor Chromium's device emulation): a look twice a second, which
  // draws nothing unless the density changed.
  var lastDensity = window.devicePixelRatio || 1;
  window.setInterval(function () {
    var density = window.devicePixelRatio || 1;
    if (density !== lastDensity) {
      lastDensity = density;
      wake();
    }
  }, 500);

  canvas.addEventListener('webglcontextlost', function (event) {
    event.preventDefault();
    fail('webgl', 'WebGL context lost');
  });

  window.Module = {
    canvas: canvas,
    print: function (text) { console.log(text); },
    printErr: function (text) { console.warn(text); },
    onAbort: function (what) { fail(window.consoleReady ? 'crash' : 'load', what); },
    locateFile: function (path) { return versioned(path); },
  };

  slowTimer = window.setTimeout(function () {
    document.getElementById('loading-slow').hidden = false;
  }, 20000);

  var script = document.createElement('script');
  script.src = versioned('console.js');
  script.async = true;
  script.onerror = function () { fail('load', 'console.js'); };
  document.body.appendChild(script);
})();
