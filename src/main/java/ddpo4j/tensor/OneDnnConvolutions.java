package ddpo4j.tensor;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Chooses libtorch's convolution kernels: oneDNN ("mkldnn") where no gradient is taken, ATen's own
 * (im2col and MKL GEMM) while autograd records, as {@code torch.backends.mkldnn.enabled} does in
 * Python.
 *
 * <p>Why: libtorch 2.7.1's oneDNN computes wrong float32 convolution input gradients on x86 CPUs
 * with AVX-512 or AVX2. Measured on an AMD EPYC (AVX-512), float32 against float64 (which oneDNN
 * never runs): for every 3x3 convolution whose output channels are not a multiple of the SIMD block
 * (16 floats; 8 with {@code DNNL_MAX_CPU_ISA=AVX2}) the gradient read unzeroed padding and was off
 * by 30-100% or NaN, depending on what the heap held there; and for stride-2 3x3 convolutions with
 * 40 or 48 input channels it was off by 15-35% every time. The UNet's {@code conv_out} (to 4
 * channels) ends every forward, so every LoRA and UNet gradient was garbage on such CPUs. The
 * forward and the weight gradients were right.
 *
 * <p>ATen's kernels are right (2,260 float32-vs-float64 cases) but slower: with them everywhere the
 * default job took 9 min 15 s instead of 4 min 43 s, sampling 3x slower. libtorch chooses a
 * convolution's backward kernels when the backward runs, from the same switch, so every forward
 * runs on oneDNN and a convolution recorded for a backward pass leaves the switch on ATen, where it
 * stays until the next convolution outside autograd: the backward reads ATen's. A forward recorded
 * inside {@link RecipeKernels} runs on ATen too: the kernels the bundled models'
 * pretraining recipes were made with (the forward values differ in the last bits), so those recipes
 * rebuild the same bytes. DJL has no switch for any of this, so it calls libtorch's
 * {@code at::globalContext().setUserEnabledMkldnn(bool)} through JNA. The switch is process-wide:
 * a convolution outside autograd on another thread while a backward runs would switch it back, and
 * no code path of ddpo4j does that (rewards finish before training starts).
 */
final class OneDnnConvolutions {
    private static Function setEnabled;
    private static Pointer context;
    private static volatile Boolean enabled; // the switch's last known state; null before the first call
    private static volatile boolean atenForward; // recorded forwards on ATen (pretraining recipes)

    private OneDnnConvolutions() {}

    /**
     * Runs one convolution: its forward on oneDNN (on ATen for a recorded one inside
     * {@link RecipeKernels}), and when autograd records it, leaves the switch on ATen
     * for the backward.
     */
    static NDArray run(Supplier<NDArray> convolution) {
        boolean recording = recording();
        choose(!(recording && atenForward));
        NDArray y = convolution.get();
        if (recording) {
            choose(false);
        }
        return y;
    }

    /** Whether recorded forwards run on ATen ({@link RecipeKernels}); returns the previous setting. */
    static boolean atenForwardWhileRecording(boolean aten) {
        boolean before = atenForward;
        atenForward = aten;
        return before;
    }

    private static void choose(boolean oneDnn) {
        if (enabled == null || enabled != oneDnn) {
            set(oneDnn);
        }
    }

    /** Whether ops are being recorded for a backward pass (libtorch's grad mode, on inside a GradientCollector). */
    static boolean recording() {
        return JniUtils.isGradMode();
    }

    /** libtorch's NNPACK switch as it stands (off once the first convolution has run). */
    static synchronized boolean nnpackEnabled() {
        if (setEnabled == null) {
            return true; // libtorch's default
        }
        Path lib = loadedLibtorchCpu();
        int returned = NativeLibrary.getInstance(lib.toString()).getFunction("_ZNK2at7Context17userEnabledNNPACKEv")
                .invokeInt(new Object[] {context});
        return (returned & 0xFF) != 0; // a C++ bool: only the low byte of the register is defined
    }

    private static synchronized void set(boolean on) {
        if (setEnabled == null) {
            Path lib = loadedLibtorchCpu();
            NativeLibrary torch = NativeLibrary.getInstance(lib.toString());
            context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            setEnabled = torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb");
            // NNPACK is off too (torch.backends.nnpack.set_flags(False)): on CPUs it does not support
            // (this host's) ATen asked it on every convolution whether it can run, a failing
            // initialisation each time (~40 us and one "Could not initialize NNPACK" warning line).
            torch.getFunction("_ZN2at7Context20setUserEnabledNNPACKEb").invokeVoid(new Object[] {context, false});
        }
        setEnabled.invokeVoid(new Object[] {context, on});
        enabled = on;
    }

    /** The libtorch_cpu.so DJL loaded, from the process's memory map. */
    private static Path loadedLibtorchCpu() {
        List<String> maps;
        try {
            maps = Files.readAllLines(Path.of("/proc/self/maps"));
        } catch (IOException e) {
            throw new Ddpo4jException("cannot read /proc/self/maps to find libtorch: " + e.getMessage(), e);
        }
        for (String line : maps) {
            int at = line.indexOf('/');
            if (at >= 0 && line.endsWith("/libtorch_cpu.so")) {
                return Path.of(line.substring(at));
            }
        }
        throw new Ddpo4jException("libtorch_cpu.so is not loaded: start the PyTorch engine first");
    }
}
