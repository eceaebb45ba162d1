// The playground's worker: starts MicroPython's WebAssembly port, writes the library's
// files into its file system and trains there, so that the page stays responsive.
// Messages from the page: {kind: "start", runtime, wasm (base64 texts), files, config}
// (config.quiet: no epoch records or pictures, for a replay to a paused epoch), then
// {kind: "step", sample}.  To the page: {kind: "ready", ms}, {kind: "epoch", record},
// {kind: "picture", svg}, {kind: "done", result}, {kind: "step", view}, and
// {kind: "error", message} (a Python error: its last line).

let mp = null;  // the runtime, once started

function bytesOf(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) bytes[k] = text.charCodeAt(k);
  return bytes;
}

function urlOf(base64, type) {
  return URL.createObjectURL(new Blob([bytesOf(base64)], {type: type}));
}

function writeFiles(fs, files) {
  for (const path of Object.keys(files)) {
    const parts = path.split("/").filter(p => p);
    let folder = "";
    for (const part of parts.slice(0, -1)) {  // each folder on the way, once
      folder += "/" + part;
      if (!fs.analyzePath(folder).exists) fs.mkdir(folder);
    }
    fs.writeFile(path, files[path]);
  }
}

async function start(message) {
  const began = performance.now();
  const runtime = await import(urlOf(message.runtime, "text/javascript"));
  const output = [];
  mp = await runtime.loadMicroPython({
    url: urlOf(message.wasm, "application/wasm"),
    heapsize: 64 * 1024 * 1024,
    stdout: line => output.push(line),
    stderr: line => output.push(line),
  });
  writeFiles(mp.FS, message.files);
  mp.registerJsModule("page", {
    report: text => postMessage({kind: "epoch", record: JSON.parse(text)}),
    picture: svg => postMessage({kind: "picture", svg: svg}),
  });
  mp.runPython("import sys\nsys.path.insert(0, '/lib')\nimport playground_driver, page");
  postMessage({kind: "ready", ms: performance.now() - began});
  mp.globals.set("config_text", JSON.stringify(message.config));
  mp.runPython(message.config.quiet ? "result_text = playground_driver.run(config_text)"
                                    : "result_text = playground_driver.run(config_text, page.report, page.picture)");
  postMessage({kind: "done", result: JSON.parse(mp.globals.get("result_text"))});
}

function step(message) {
  mp.runPython("step_text = playground_driver.step(" + Math.floor(message.sample) + ")");
  postMessage({kind: "step", view: JSON.parse(mp.globals.get("step_text"))});
}

function lastLine(text) {
  const lines = String(text).trim().split("\n");
  return lines[lines.length - 1];
}

function fail(error) {
  postMessage({kind: "error", message: lastLine(error && error.message || error)});
}

onmessage = event => {
  if (event.data.kind === "start") start(event.data).catch(fail);
  else if (event.data.kind === "step") { try { step(event.data); } catch (error) { fail(error); } }
};
