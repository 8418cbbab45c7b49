import { realpathSync } from 'node:fs';
import type * as pkcs11js from 'pkcs11js';
import { Pkcs11Error, pkcs11Failure, returnValueOf } from './pkcs11-errors.js';

/** The pkcs11js binding: its constants and classes. */
export type Pkcs11Binding = typeof pkcs11js;
export type Cryptoki = pkcs11js.PKCS11;

/**
 * One PKCS#11 module (a shared library) loaded and initialised in this process, shared by every token opened
 * through it. Cryptoki is initialised once per process and library (a second `C_Initialize` answers
 * `CKR_CRYPTOKI_ALREADY_INITIALIZED`, and one `C_Finalize` ends it for everyone), so the module is kept once
 * per library file, counted, and finalised when the last token on it closes.
 */
export interface Pkcs11Module {
  readonly binding: Pkcs11Binding;
  readonly cryptoki: Cryptoki;
  /** The module path as the caller gave it, for messages. */
  readonly path: string;
  /** Gives the module back; the last release finalises and unloads it. */
  release(): void;
}

interface LoadedModule {
  readonly binding: Pkcs11Binding;
  readonly cryptoki: Cryptoki;
  /** False when something else in this process had initialised the library: it is theirs to finalise. */
  readonly initialisedHere: boolean;
  references: number;
}

/** By the library's real path: two paths to one file (a symlink) are one loaded library. */
const loaded = new Map<string, LoadedModule>();

const BINDING_MISSING_MESSAGE = 'pkcs11js is not installed or not built: npm ci on a machine with a C++ compiler';

/**
 * Loads (or shares) the module at `modulePath` and initialises Cryptoki in it.
 * pkcs11js is imported here, on first use, so that a server that never uses PKCS#11 never loads its native addon.
 *
 * @example
 *   const module = await acquirePkcs11Module('/usr/lib/softhsm/libsofthsm2.so');
 *   try { module.cryptoki.C_GetSlotList(true); } finally { module.release(); }
 */
export async function acquirePkcs11Module(modulePath: string): Promise<Pkcs11Module> {
  const binding = await importBinding();
  // Everything below is synchronous: two opens racing each other cannot both load the same library.
  const realPath = resolveModulePath(modulePath);
  let module = loaded.get(realPath);
  if (module === undefined) {
    module = loadAndInitialise(binding, modulePath);
    loaded.set(realPath, module);
  }
  module.references += 1;
  const entry = module;
  let released = false;
  return {
    binding: entry.binding,
    cryptoki: entry.cryptoki,
    path: modulePath,
    release() {
      if (released) return;
      released = true;
      entry.references -= 1;
      if (entry.references > 0) return;
      loaded.delete(realPath);
      finaliseAndUnload(entry);
    },
  };
}

async function importBinding(): Promise<Pkcs11Binding> {
  try {
    // pkcs11js is CommonJS: its exports are the default export of the ES module namespace.
    return (await import('pkcs11js')).default;
  } catch {
    throw new Pkcs11Error('BINDING_MISSING', BINDING_MISSING_MESSAGE);
  }
}

function resolveModulePath(modulePath: string): string {
  try {
    return realpathSync(modulePath);
  } catch {
    throw new Pkcs11Error('MODULE_NOT_FOUND', `no PKCS#11 module at ${modulePath}`);
  }
}

function loadAndInitialise(binding: Pkcs11Binding, modulePath: string): LoadedModule {
  const cryptoki = new binding.PKCS11();
  try {
    cryptoki.load(modulePath);
  } catch (error) {
    // A file that is not a shared library, or one without C_GetFunctionList; dlerror's text names the path.
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new Pkcs11Error('MODULE_NOT_FOUND', `could not load the PKCS#11 module ${modulePath}: ${reason}`);
  }
  try {
    // OS locking: pkcs11js runs its *Async calls on worker threads, and other modules of the process may too.
    cryptoki.C_Initialize({ flags: binding.CKF_OS_LOCKING_OK });
    return { binding, cryptoki, initialisedHere: true, references: 0 };
  } catch (error) {
    if (returnValueOf(error) === 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      return { binding, cryptoki, initialisedHere: false, references: 0 };
    }
    unload(cryptoki);
    throw pkcs11Failure(error, `C_Initialize of the PKCS#11 module ${modulePath}`);
  }
}

function finaliseAndUnload(module: LoadedModule): void {
  if (module.initialisedHere) {
    try {
      module.cryptoki.C_Finalize();
    } catch {
      // Closing: a module that cannot finalise (a device gone) has nothing left to lose.
    }
  }
  unload(module.cryptoki);
}

function unload(cryptoki: Cryptoki): void {
  try {
    cryptoki.close();
  } catch {
    // Already unloaded.
  }
}
