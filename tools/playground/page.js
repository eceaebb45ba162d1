// The playground page: a form for the network and its training, a worker that trains
// with the library's own code (worker.js), and the loss curve drawn as each epoch ends.
// ?autorun=xor&sizes=...&activations=...&loss=...&lr=...&epochs=...&seed=... trains at
// once and writes the result as JSON into #result (tools/playground.py's URL contract).

const $ = id => document.getElementById(id);
let worker = null;
let records = [];

function configFrom(get) {
  // The page's settings from a getter of named texts (the form's fields or the URL's).
  const config = {
    data: get("data") || "xor",
    sizes: get("sizes").split(",").map(n => parseInt(n, 10)),
    activations: get("activations").split(",").map(s => s.trim()),
    loss: get("loss"),
  };
  for (const name of ["lr"]) if (get(name)) config[name] = parseFloat(get(name));
  for (const name of ["epochs", "seed", "batch_size"]) if (get(name)) config[name] = parseInt(get(name), 10);
  if (get("rule")) config.rule = get("rule");
  return config;
}

function check(config) {
  // A message for the first setting that is wrong, or null.
  if (config.sizes.some(n => !(n >= 1))) return "sizes: give whole numbers of neurons, such as 2,4,1";
  if (config.sizes[0] !== 2 || config.sizes[config.sizes.length - 1] !== 1)
    return "sizes: XOR has 2 inputs and 1 target, so the first size is 2 and the last 1";
  if (config.activations.length !== config.sizes.length - 1)
    return "activations: give one per layer after the inputs (" + (config.sizes.length - 1) + "), such as tanh,sigmoid";
  return null;
}

function drawCurve() {
  // The training loss of each epoch so far, as an SVG polyline, the y axis from 0 to the largest.
  const width = 480, height = 200, pad = 30;
  const losses = records.map(r => r.loss);
  const top = Math.max(...losses, 1e-12);
  const last = Math.max(records.length - 1, 1);
  const points = losses.map((loss, k) =>
    (pad + (width - 2 * pad) * k / last).toFixed(1) + "," + (height - pad - (height - 2 * pad) * loss / top).toFixed(1));
  $("curve").innerHTML =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + width + " " + height + '" role="img" aria-label="training loss by epoch">' +
    '<line x1="' + pad + '" y1="' + (height - pad) + '" x2="' + (width - pad) + '" y2="' + (height - pad) + '" class="axis"/>' +
    '<line x1="' + pad + '" y1="' + pad + '" x2="' + pad + '" y2="' + (height - pad) + '" class="axis"/>' +
    '<polyline points="' + points.join(" ") + '" class="loss"/>' +
    '<text x="' + pad + '" y="' + (pad - 8) + '">loss ' + top.toPrecision(3) + "</text>" +
    '<text x="' + (width - pad) + '" y="' + (height - 8) + '" text-anchor="end">epoch ' + records.length + "</text></svg>";
}

function say(text) {
  $("status").textContent = text;
}

function stop() {
  if (worker) worker.terminate();
  worker = null;
  $("train").disabled = false;
  $("stop").disabled = true;
}

function train(config) {
  stop();
  const problem = check(config);
  if (problem) { say(problem); return; }
  records = [];
  $("result").textContent = "";
  const source = new Blob([$("worker-js").textContent], {type: "text/javascript"});
  worker = new Worker(URL.createObjectURL(source));
  $("train").disabled = true;
  $("stop").disabled = false;
  say("starting MicroPython…");
  worker.onmessage = event => {
    const message = event.data;
    if (message.kind === "ready") {
      say("MicroPython ready in " + Math.round(message.ms) + " ms; training…");
    } else if (message.kind === "epoch") {
      records.push(message.record);
      drawCurve();
      const r = message.record;
      say("epoch " + r.epoch + ": loss " + r.loss.toPrecision(4) + (r.accuracy === null ? "" : ", accuracy " + r.accuracy.toFixed(3)));
    } else if (message.kind === "done") {
      $("result").textContent = JSON.stringify(message.result);
      say("done: epoch " + message.result.epoch + ", loss " + message.result.loss.toPrecision(6));
      stop();
    } else if (message.kind === "error") {
      $("result").textContent = JSON.stringify({error: message.message});
      say("error: " + message.message);
      stop();
    }
  };
  worker.onerror = event => {  // the worker could not start, or threw outside a message
    $("result").textContent = JSON.stringify({error: event.message || "the worker failed"});
    say("error: " + (event.message || "the worker failed"));
    stop();
  };
  worker.postMessage({
    kind: "start", config: config,
    runtime: $("runtime").textContent.trim(), wasm: $("wasm").textContent.trim(),
    files: JSON.parse($("files").textContent),
  });
}

$("settings").addEventListener("submit", event => {
  event.preventDefault();
  train(configFrom(name => { const field = $("settings").elements[name]; return field ? field.value : ""; }));
});
$("stop").addEventListener("click", () => { stop(); say("stopped after epoch " + records.length); });

const params = new URLSearchParams(location.search);
if (params.get("autorun")) {
  for (const [name, value] of params) {
    const field = $("settings").elements[name];
    if (field) field.value = value;
  }
  train(configFrom(name => name === "data" ? params.get("autorun") : (params.get(name) || "")));
}
