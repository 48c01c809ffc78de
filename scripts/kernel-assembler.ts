import wabtModule from 'wabt';

/**
 * WebAssembly text to binary, with wabt (the WebAssembly Binary Toolkit), deterministically. SIMD,
 * shared memory (threads) and bulk memory are legal (all in Node 20's V8); a kernel uses what it needs.
 */
export async function assembleKernel(wat: string, name = 'predict-kernel.wat'): Promise<Uint8Array> {
  const wabt = await wabtModule();
  const features = { simd: true, threads: true, bulk_memory: true };
  const module = wabt.parseWat(name, wat, features);
  try {
    // wabt's validate takes the features too (its typings omit the parameter); without them it rejects shared memory.
    (module.validate as (this: typeof module, f: typeof features) => void).call(module, features);
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}
