import wabtModule from 'wabt';

/** WebAssembly text to binary, with wabt (the WebAssembly Binary Toolkit), deterministically. */
export async function assembleKernel(wat: string): Promise<Uint8Array> {
  const wabt = await wabtModule();
  const module = wabt.parseWat('predict-kernel.wat', wat);
  try {
    module.validate();
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}
