//! The release site's front end, after cargo has built the app's WASM: `scripts/setup.sh`
//! (`build_front`) runs `xtask front` between `cargo build --target wasm32-unknown-unknown` and
//! wasm-opt, minification and precompression.
//!
//! What it does is what `cargo leptos build --release --split` did at this point (cargo-leptos
//! 0.3.11, `src/compile/front.rs` and `src/wasm_split_tools`), with the same two libraries at the
//! versions that tool used: from the same app module it writes the same WASM files, loader and
//! chunk lists (the lists now in sorted order), and no TypeScript declarations. The project no
//! longer compiles cargo-leptos (its JavaScript and CSS compilers, TLS and git libraries):
//!
//! 1. every `#[island(lazy)]` goes into a chunk of its own (`__wasm_split_manifest.json` lists
//!    what each chunk needs, and `__wasm_split.*.js` loads them);
//! 2. wasm-bindgen writes `NAME.js`, the glue the page's hydration script imports, and the main
//!    module as `NAME.wasm` (the name leptos's `HydrationScripts` asks for).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wasm_bindgen_cli_support::Bindgen;

/// The loader module the splitter writes; leptos's lazy islands import it by this name.
const LINK_NAME: &str = "./__wasm_split.______________________.js";
const MANIFEST: &str = "__wasm_split_manifest.json";

const USAGE: &str = "usage: xtask front --wasm APP.wasm --out-dir SITE/pkg --name OUTPUT_NAME";

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("front") => Front::parse(&args[1..]).and_then(|front| front.run()),
        _ => Err(USAGE.into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

struct Front {
    /// The app's WASM as cargo linked it (with `--emit-relocs`, which the splitter reads).
    wasm: PathBuf,
    out_dir: PathBuf,
    name: String,
}

impl Front {
    fn parse(args: &[String]) -> Result<Self, Error> {
        let (mut wasm, mut out_dir, mut name) = (None, None, None);
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .ok_or_else(|| format!("{flag} needs a value; {USAGE}"))?;
            match flag.as_str() {
                "--wasm" => wasm = Some(PathBuf::from(value)),
                "--out-dir" => out_dir = Some(PathBuf::from(value)),
                "--name" => name = Some(value.clone()),
                _ => return Err(format!("unknown argument {flag}; {USAGE}").into()),
            }
        }
        match (wasm, out_dir, name) {
            (Some(wasm), Some(out_dir), Some(name)) if !name.is_empty() => Ok(Self {
                wasm,
                out_dir,
                name,
            }),
            _ => Err(USAGE.into()),
        }
    }

    fn run(&self) -> Result<(), Error> {
        let main = self.split()?;
        self.bindgen(&main)?;
        Ok(())
    }

    /// Splits the lazy islands out of the app's module into `out_dir`; returns the path of what
    /// is left (the main module), written beside the input for wasm-bindgen to read.
    fn split(&self) -> Result<PathBuf, Error> {
        let input = std::fs::read(&self.wasm)
            .map_err(|e| format!("reading {}: {e}", self.wasm.display()))?;
        let stem = self
            .wasm
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or("the WASM file has no name")?;
        let main = self.wasm.with_file_name(format!("{stem}_split.wasm"));
        let main_module = format!("./{}.js", self.name);
        std::fs::create_dir_all(&self.out_dir)
            .map_err(|e| format!("creating {}: {e}", self.out_dir.display()))?;

        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &self.out_dir;
        options.main_out_path = &main;
        options.main_module = &main_module;
        options.link_name = LINK_NAME;
        let split = wasm_split_cli_support::transform(options)
            .map_err(|e| format!("splitting {}: {e:?}", self.wasm.display()))?;

        // Sorted, so two builds of the same code write the same file.
        let prefetch: BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
        let manifest = serde_json::to_string_pretty(&prefetch)?;
        let path = self.out_dir.join(MANIFEST);
        std::fs::write(&path, manifest).map_err(|e| format!("writing {}: {e}", path.display()))?;
        Ok(main)
    }

    /// The browser glue and the main module, as `wasm-bindgen --target web --keep-lld-exports
    /// --no-demangle` writes them (the options the splitter's chunks rely on), without the
    /// TypeScript declarations nobody here reads.
    fn bindgen(&self, main: &Path) -> Result<(), Error> {
        let mut bindgen = Bindgen::new();
        bindgen
            .web(true)?
            .input_path(main)
            .out_name(&self.name)
            .keep_lld_exports(true)
            .demangle(false)
            .omit_default_module_path(false)
            .typescript(false);
        bindgen
            .generate(&self.out_dir)
            .map_err(|e| format!("wasm-bindgen on {}: {e:?}", main.display()))?;
        // wasm-bindgen names the module NAME_bg.wasm; the page loads NAME.wasm.
        let written = self.out_dir.join(format!("{}_bg.wasm", self.name));
        std::fs::rename(&written, self.out_dir.join(format!("{}.wasm", self.name)))
            .map_err(|e| format!("renaming {}: {e}", written.display()))?;
        Ok(())
    }
}
