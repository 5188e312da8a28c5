// boot.js: starts the wasm console, or explains in Vietnamese and English why it cannot.
//
// 1. Checks WebAssembly and WebGL2 before downloading anything large.
// 2. Defines `Module` for Emscripten's console.js, then loads console.js.
// 3. The wasm calls window.consoleBoot.ready() once it knows its mode (a server answered,
//    or the offline demo) and has drawn it (and sets window.consoleReady = true), or
//    window.consoleBoot.fail(reason, detail).
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
  canvas.addEventListener('pointerdown', function () {
    if (document.activeElement !== canvas) canvas.focus({ preventScroll: true });
  }, true);

  canvas.addEventListener('webglcontextlost', function (event) {
    event.preventDefault();
    fail('webgl', 'WebGL context lost');
  });

  window.Module = {
    canvas: canvas,
    print: function (text) { console.log(text); },
    printErr: function (text) { console.warn(text); },
    onAbort: function (what) { fail(window.consoleReady ? 'crash' : 'load', what); },
  };

  slowTimer = window.setTimeout(function () {
    document.getElementById('loading-slow').hidden = false;
  }, 20000);

  var script = document.createElement('script');
  script.src = 'console.js';
  script.async = true;
  script.onerror = function () { fail('load', 'console.js'); };
  document.body.appendChild(script);
})();
