// Immich's thumbnail work with sharp, for bench/thumbnails_bench.py (not a test).
//
// As Immich's MediaService/MediaRepository do it for an image: decode once (auto-rotated, colour
// pipeline and ICC profile per colorspace) to a raw buffer at the preview size (1440 on the
// shorter side, fit "outside", no enlargement), then from that buffer: the preview (JPEG q80,
// 4:4:4), the thumbnail (WebP q80, 250 on the shorter side) and the thumbhash (fit inside
// 100x100, RGBA). sharp.concurrency(1): one libvips thread per image.
//
// usage: node sharp_thumbs.mjs MODULES_DIR JOBS_JSON
//   JOBS_JSON: {"files": [{"path", "colorspace"}], "out": dir, "parallel": n, "passes": n}
//   or {"rgba": [{"path", "width", "height"}]} to hash raw RGBA files with the reference
// prints one JSON line: {"passes": [seconds...], "errors": [...]} or {"hashes": [hex...]}
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [modulesDir, jobsFile] = process.argv.slice(2);
const require = createRequire(path.join(modulesDir, "package.json"));
const sharp = require("sharp");
const { rgbaToThumbHash } = await import(require.resolve("thumbhash"));
const jobs = JSON.parse(fs.readFileSync(jobsFile, "utf8"));

sharp.concurrency(1);
sharp.cache({ files: 0 });

function pipeline(input, colorspace, options = {}) {
  return sharp(input, { failOn: "error", limitInputPixels: false, ...options })
    .pipelineColorspace(colorspace === "srgb" ? "srgb" : "rgb16")
    .withIccProfile(colorspace);
}

async function one(file, index, out) {
  const { data, info } = await pipeline(file.path, file.colorspace)
    .rotate()
    .resize(1440, 1440, { fit: "outside", withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  await pipeline(data, file.colorspace, raw)
    .toFormat("jpeg", { quality: 80, chromaSubsampling: "4:4:4", progressive: false })
    .toFile(path.join(out, `${index}-preview.jpeg`));
  await pipeline(data, file.colorspace, raw)
    .resize(250, 250, { fit: "outside", withoutEnlargement: true })
    .toFormat("webp", { quality: 80, progressive: false })
    .toFile(path.join(out, `${index}-thumbnail.webp`));
  const small = await sharp(data, raw)
    .resize(100, 100, { fit: "inside", withoutEnlargement: true })
    .raw()
    .ensureAlpha()
    .toBuffer({ resolveWithObject: true });
  rgbaToThumbHash(small.info.width, small.info.height, small.data);
}

async function pass(files, parallel, out, errors) {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      try {
        await one(files[index], index, out);
      } catch (error) {
        errors.push(`${files[index].path}: ${error.message}`);
      }
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: parallel }, worker));
  return (performance.now() - start) / 1000;
}

if (jobs.rgba) {
  const hashes = jobs.rgba.map((job) =>
    Buffer.from(rgbaToThumbHash(job.width, job.height, fs.readFileSync(job.path))).toString("hex"),
  );
  console.log(JSON.stringify({ hashes }));
} else {
  const errors = [];
  const passes = [];
  for (let i = 0; i < jobs.passes; i++) passes.push(await pass(jobs.files, jobs.parallel, jobs.out, errors));
  console.log(JSON.stringify({ passes, errors, versions: { sharp: sharp.versions.sharp, vips: sharp.versions.vips } }));
}
