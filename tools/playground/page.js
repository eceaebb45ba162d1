// The playground page: a form for the network and its training, a worker that trains
// with the library's own code (worker.js), the loss curve drawn as each epoch ends and
// the library's own picture of the training; then one SGD step at a time, each stage
// on the network's picture beside the lines of the library's source that compute it.
// ?autorun=NAME&sizes=...&activations=...&loss=...&lr=...&epochs=...&seed=... trains at
// once and writes the result as JSON into #result (tools/playground.py's URL contract);
// &step=1 then makes one step and writes its numbers into #step-result.

const $ = id => document.getElementById(id);
const FILES = JSON.parse($("files").textContent);  // the library's text, as the worker runs it
let worker = null;
let records = [];
let config = null;
let steps = 0;  // the steps made since training ended: the next one is on sample `steps`
let view = null;  // the last step's numbers, pictures and source lines
let stage = 0;

// Settings that train each data set well enough to watch (the form starts with XOR's).
const PRESETS = {
  xor: {sizes: "2,4,1", activations: "tanh,sigmoid", loss: "binary_cross_entropy", lr: "0.1", epochs: "300"},
  moons: {sizes: "2,8,1", activations: "tanh,sigmoid", loss: "binary_cross_entropy", lr: "0.1", epochs: "100"},
  circles: {sizes: "2,8,1", activations: "tanh,sigmoid", loss: "binary_cross_entropy", lr: "0.1", epochs: "200"},
  spirals: {sizes: "2,16,16,1", activations: "tanh,tanh,sigmoid", loss: "binary_cross_entropy", lr: "0.03", epochs: "500"},
  iris: {sizes: "4,8,3", activations: "tanh,softmax", loss: "cross_entropy", lr: "0.05", epochs: "100"},
};

function configFrom(get) {
  // The page's settings from a getter of named texts (the form's fields or the URL's).
  const found = {
    data: get("data") || "xor",
    sizes: get("sizes").split(",").map(n => parseInt(n, 10)),
    activations: get("activations").split(",").map(s => s.trim()),
    loss: get("loss"),
  };
  if (get("lr")) found.lr = parseFloat(get("lr"));
  for (const name of ["epochs", "seed", "batch_size"]) if (get(name)) found[name] = parseInt(get(name), 10);
  if (get("rule")) found.rule = get("rule");
  return found;
}

function check(settings) {
  // A message for the first setting that is wrong, or null (the library checks the rest).
  if (settings.sizes.some(n => !(n >= 1))) return "sizes: give whole numbers of neurons, such as 2,4,1";
  if (settings.activations.length !== settings.sizes.length - 1)
    return "activations: give one per layer after the inputs (" + (settings.sizes.length - 1) + "), such as tanh,sigmoid";
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

function buttons(training) {
  $("train").disabled = training;
  $("pause").disabled = !training;
  $("step").disabled = training || worker === null;
}

function end() {
  // Stop the worker (and forget its network).
  if (worker) worker.terminate();
  worker = null;
  buttons(false);
}

function startWorker(settings, onDone) {
  // A new worker that trains as settings say; onDone(result) when it has.
  end();
  const source = new Blob([$("worker-js").textContent], {type: "text/javascript"});
  worker = new Worker(URL.createObjectURL(source));
  buttons(true);
  worker.onmessage = event => {
    const message = event.data;
    if (message.kind === "ready") {
      say("MicroPython ready in " + Math.round(message.ms) + " ms; training…");
    } else if (message.kind === "epoch") {
      records.push(message.record);
      drawCurve();
      const r = message.record;
      say("epoch " + r.epoch + ": loss " + r.loss.toPrecision(4) + (r.accuracy === null ? "" : ", accuracy " + r.accuracy.toFixed(3)));
    } else if (message.kind === "picture") {
      $("picture").innerHTML = message.svg.slice(message.svg.indexOf("<svg"));  // the library's own SVG
    } else if (message.kind === "done") {
      buttons(false);
      onDone(message.result);
    } else if (message.kind === "step") {
      showStep(message.view);
    } else if (message.kind === "error") {
      $("result").textContent = JSON.stringify({error: message.message});
      say("error: " + message.message);
      end();
    }
  };
  worker.onerror = event => {  // the worker could not start, or threw outside a message
    $("result").textContent = JSON.stringify({error: event.message || "the worker failed"});
    say("error: " + (event.message || "the worker failed"));
    end();
  };
  worker.postMessage({
    kind: "start", config: settings,
    runtime: $("runtime").textContent.trim(), wasm: $("wasm").textContent.trim(), files: FILES,
  });
}

function train(settings, then) {
  const problem = check(settings);
  if (problem) { say(problem); return; }
  config = settings;
  records = [];
  steps = 0;
  $("result").textContent = "";
  $("picture").innerHTML = "";
  $("stepper").hidden = true;
  say("starting MicroPython…");
  startWorker(settings, result => {
    $("result").textContent = JSON.stringify(result);
    say("done: epoch " + result.epoch + ", loss " + result.loss.toPrecision(6) + ". Step shows one SGD step.");
    if (then) then(result);
  });
}

function pause() {
  // The worker cannot be asked anything while it trains, so: stop it, and train a new one
  // to the epoch reached (the same seed gives the same numbers), quietly.
  const reached = records.length;
  end();
  if (reached === 0) { say("stopped before the first epoch"); return; }
  say("pausing at epoch " + reached + "…");
  startWorker(Object.assign({}, config, {epochs: reached, quiet: true}), result => {
    $("result").textContent = JSON.stringify(result);
    say("paused at epoch " + reached + ", loss " + result.loss.toPrecision(6) + ". Step shows one SGD step.");
  });
}

function step() {
  if (!worker) return;
  worker.postMessage({kind: "step", sample: steps});
  steps += 1;
}

function showStep(found) {
  view = found;
  $("stepper").hidden = false;
  const shown = v => "[" + v.map(n => +n.toPrecision(4)).join(", ") + "]";
  $("step-title").textContent = "One SGD step on sample " + found.sample + ": x = " + shown(found.x) +
    ", y = " + shown(found.y) + ", η = " + found.lr + "; loss " + found.loss.toPrecision(6) +
    " before, " + found.loss_after.toPrecision(6) + " after";
  $("stages").innerHTML = "";
  found.stages.forEach((s, k) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = (k + 1) + ". " + s.name;
    button.addEventListener("click", () => showStage(k));
    $("stages").appendChild(button);
  });
  const lines = FILES[found.source].split("\n");
  $("source-name").textContent = found.source.replace("/lib/", "");
  $("source").innerHTML = "";
  lines.forEach((text, k) => {
    const line = document.createElement("span");
    line.className = "line";
    line.dataset.number = k + 1;
    line.textContent = text + "\n";
    $("source").appendChild(line);
  });
  showStage(stage);
  const done = {loss: found.loss, loss_after: found.loss_after, sample: found.sample,
                lines: found.stages.map(s => s.lines)};
  $("step-result").textContent = JSON.stringify(done);
}

function showStage(k) {
  stage = (k + view.stages.length) % view.stages.length;
  const s = view.stages[stage];
  Array.from($("stages").children).forEach((b, j) => b.setAttribute("aria-pressed", String(j === stage)));
  $("stage-title").textContent = s.title;
  $("step-picture").innerHTML = s.svg;  // the library's network_svg for this stage
  let first = null;
  Array.from($("source").children).forEach(line => {
    const n = parseInt(line.dataset.number, 10);
    const hot = s.lines.some(range => range[0] <= n && n <= range[1]);
    line.classList.toggle("hot", hot);
    if (hot && first === null) first = line;
  });
  if (first) $("source").scrollTop = first.offsetTop - $("source").offsetTop - 20;
}

$("settings").addEventListener("submit", event => {
  event.preventDefault();
  train(configFrom(name => { const field = $("settings").elements[name]; return field ? field.value : ""; }));
});
$("data").addEventListener("change", () => {
  const preset = PRESETS[$("data").value];
  for (const name of Object.keys(preset)) $(name).value = preset[name];
});
$("pause").addEventListener("click", pause);
$("step").addEventListener("click", step);
document.addEventListener("keydown", event => {
  if (view === null || event.target.closest("input, select")) return;
  if (event.key === "ArrowRight") showStage(stage + 1);
  else if (event.key === "ArrowLeft") showStage(stage - 1);
});

const params = new URLSearchParams(location.search);
if (params.get("autorun")) {
  $("data").value = params.get("autorun");
  for (const [name, value] of params) {
    const field = $("settings").elements[name];
    if (field) field.value = value;
  }
  const stepAfter = params.get("step") === "1";
  train(configFrom(name => name === "data" ? params.get("autorun") : (params.get(name) || "")),
        stepAfter ? step : null);
}
