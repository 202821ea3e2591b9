package org.sundials4j.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.openblas.presets.openblas;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP preset for the CVODES part of SUNDIALS 7.1.1 and the sundials4j glue
 * ({@code native/include/sundials4j_glue.h}), with ARKODE's ERKStep behind its own small header
 * ({@code sundials4j_erk.h}: the ARKODE headers are included there, not parsed). The generated classes land in
 * {@code org.sundials4j.internal.cvodes} at build time and are never committed; only the facade in
 * {@code org.sundials4j.ode} may use them.
 */
@Properties(
    // LAPACK comes from JavaCPP's openblas preset: its Loader loads the preset's libopenblas.so.0
    // (and libgfortran) from the org.bytedeco:openblas platform jar before our library, so the
    // JNI library's NEEDED libopenblas.so.0 never reaches for a system copy. SUNDIALS calls LAPACK
    // through its own prototypes, so the preset's headers are neither parsed nor included (below).
    inherit = openblas.class,
    target = "org.sundials4j.internal.cvodes",
    global = "org.sundials4j.internal.cvodes.global.cvodes",
    value = @Platform(
        value = "linux-x86_64",
        include = {
            "sundials/sundials_config.h",
            "sundials/sundials_types.h",
            "sundials/sundials_errors.h",
            "sundials/sundials_context.h",
            "sundials/sundials_nvector.h",
            "sundials/sundials_matrix.h",
            "sundials/sundials_iterative.h",
            "sundials/sundials_linearsolver.h",
            "sundials/sundials_nonlinearsolver.h",
            "nvector/nvector_serial.h",
            "sunmatrix/sunmatrix_dense.h",
            "sunmatrix/sunmatrix_band.h",
            "sunmatrix/sunmatrix_sparse.h",
            "sunlinsol/sunlinsol_dense.h",
            "sunlinsol/sunlinsol_band.h",
            "sunlinsol/sunlinsol_lapackdense.h",
            "sunlinsol/sunlinsol_lapackband.h",
            "sunlinsol/sunlinsol_klu.h",
            "sunlinsol/sunlinsol_spgmr.h",
            "sunnonlinsol/sunnonlinsol_fixedpoint.h",
            "cvodes/cvodes.h",
            "cvodes/cvodes_ls.h",
            "sundials4j_glue.h",
            "sundials4j_erk.h",
            "sundials4j_replay_api.h",
            "sundials4j_bench.h",
            "sundials4j_memory.h"
        },
        // the inherited openblas headers stay out of the generated C++ (see the InfoMap below)
        exclude = {"openblas_config.h", "cblas.h", "lapacke_config.h", "lapacke_mangling.h", "lapack.h", "lapacke.h", "lapacke_utils.h"},
        // Static archives (KLU and its ordering libraries too, built PIC by cmake/build-sundials.sh into
        // the SUNDIALS prefix, found through the build's link path): JavaCPP emits -l flags in reverse
        // order of this list, so dependencies come first and sundials_cvodes last. The trailing '#'
        // links without System.loadLibrary at run time, so a system libsundials (Debian ships 6.4.1)
        // or libklu can never be loaded in our place.
        link = {
            "m#", "suitesparseconfig#", "btf#", "colamd#", "amd#", "klu#",
            "sundials_core#", "sundials_nvecserial#",
            "sundials_sunnonlinsolfixedpoint#", "sundials_sunnonlinsolnewton#",
            "sundials_sunmatrixband#", "sundials_sunmatrixdense#", "sundials_sunmatrixsparse#",
            "sundials_sunlinsolspgmr#", "sundials_sunlinsolband#", "sundials_sunlinsoldense#",
            "sundials_sunlinsollapackband#", "sundials_sunlinsollapackdense#", "sundials_sunlinsolklu#",
            "sundials_arkode#", "sundials_cvodes#"
        }
    )
)
public class cvodes implements InfoMapper {
    @Override
    public void map(InfoMap infoMap) {
        infoMap
            // the inherited openblas headers: parsing lapack.h and lapacke.h alone took 3 minutes, for
            // declarations no generated class uses
            .put(new Info("openblas_config.h", "cblas.h", "lapacke_config.h", "lapacke_mangling.h", "lapack.h",
                          "lapacke.h", "lapacke_utils.h").skip())
            // export and deprecation macros carry no meaning for Java
            .put(new Info("SUNDIALS_EXPORT", "SUNDIALS_NO_EXPORT", "SUNDIALS_DEPRECATED",
                          "SUNDIALS_DEPRECATED_EXPORT", "SUNDIALS_DEPRECATED_NO_EXPORT",
                          "SUNDIALS_STATIC_INLINE", "SUNDIALS_INLINE", "SUNDIALS_NOEXCEPT").cppTypes().annotations())
            // scalar typedefs of the configuration we build (double precision, 64-bit indices)
            .put(new Info("sunrealtype", "realtype").cast().valueTypes("double").pointerTypes("DoublePointer", "DoubleBuffer", "double[]"))
            .put(new Info("sunindextype").cast().valueTypes("long").pointerTypes("LongPointer", "LongBuffer", "long[]"))
            .put(new Info("SUNErrCode", "SUNComm").cast().valueTypes("int").pointerTypes("IntPointer", "IntBuffer", "int[]"))
            .put(new Info("sunbooleantype", "booleantype").cast().valueTypes("int").pointerTypes("IntPointer", "IntBuffer", "int[]").skip())
            .put(new Info("SUNDIALS_INDEX_TYPE").skip())
            .put(new Info("FILE").pointerTypes("@Cast(\"FILE*\") Pointer"))
            // The parser takes the first branch of an #if it knows nothing about: pin our configuration.
            .put(new Info("SUNDIALS_MPI_ENABLED", "defined(SUNDIALS_SINGLE_PRECISION)",
                          "defined(SUNDIALS_EXTENDED_PRECISION)", "defined(SUNDIALS_INT32_T)").define(false))
            .put(new Info("defined(SUNDIALS_DOUBLE_PRECISION)", "defined(SUNDIALS_INT64_T)").define(true))
            .put(new Info("SUN_COMM_NULL").cppTypes("int").translate(false))
            .put(new Info("SUN_BIG_REAL", "SUN_SMALL_REAL", "SUN_UNIT_ROUNDOFF").cppTypes("double").translate(false))
            // KLU internals expose klu_l_* types Java never needs
            .put(new Info("_SUNLinearSolverContent_KLU", "SUNLinearSolverContent_KLU", "KLUSolveFn").skip())
            .put(new Info("sun_klu_symbolic", "sun_klu_numeric", "sun_klu_common", "sun_klu_analyze",
                          "sun_klu_factor", "sun_klu_refactor", "sun_klu_rcond", "sun_klu_condest",
                          "sun_klu_defaults", "sun_klu_free_symbolic", "sun_klu_free_numeric").skip())
            // the fixed-point solver is used through its constructors and SUNNonlinSolFree only
            .put(new Info("_SUNNonlinearSolverContent_FixedPoint", "SUNNonlinearSolverContent_FixedPoint").skip())
            // opaque handles 'typedef struct X_* X'
            .put(new Info("SUNContext").valueTypes("SUNContext_").pointerTypes("@ByPtrPtr SUNContext_"))
            .put(new Info("SUNProfiler").valueTypes("SUNProfiler_").pointerTypes("@ByPtrPtr SUNProfiler_"))
            .put(new Info("SUNLogger").valueTypes("SUNLogger_").pointerTypes("@ByPtrPtr SUNLogger_"))
            .put(new Info("SUNErrHandler").valueTypes("SUNErrHandler_").pointerTypes("@ByPtrPtr SUNErrHandler_"))
            // N_Vector** ("vector array") functions produce uncompilable casts and serve no serial use
            .put(new Info("N_VScaleAddMultiVectorArray", "N_VLinearCombinationVectorArray",
                          "N_VScaleAddMultiVectorArray_Serial", "N_VLinearCombinationVectorArray_Serial",
                          "CVodeGetNonlinearSystemDataSens", "CVodeGetCurrentStateSens").skip())
            // generic objects: Java classes named after the C typedefs
            .put(new Info("_generic_N_Vector").pointerTypes("N_Vector"))
            .put(new Info("N_Vector").valueTypes("N_Vector").pointerTypes("@Cast(\"N_Vector*\") PointerPointer"))
            .put(new Info("_generic_SUNMatrix").pointerTypes("SUNMatrix"))
            .put(new Info("SUNMatrix").valueTypes("SUNMatrix").pointerTypes("@Cast(\"SUNMatrix*\") PointerPointer"))
            .put(new Info("_generic_SUNLinearSolver").pointerTypes("SUNLinearSolver"))
            .put(new Info("SUNLinearSolver").valueTypes("SUNLinearSolver").pointerTypes("@Cast(\"SUNLinearSolver*\") PointerPointer"))
            .put(new Info("_generic_SUNNonlinearSolver").pointerTypes("SUNNonlinearSolver"))
            .put(new Info("SUNNonlinearSolver").valueTypes("SUNNonlinearSolver").pointerTypes("@Cast(\"SUNNonlinearSolver*\") PointerPointer"))
            // glue: the shims and the handler are reached through their getters, never from Java
            .put(new Info("s4j_rhs", "s4j_jac", "s4j_sens_rhs", "s4j_quad", "s4j_quad_sens", "s4j_rhs_b", "s4j_quad_b", "s4j_jac_b", "s4j_root",
                          "s4j_jac_to_matrix", "s4j_jac_common", "s4j_call", "s4j_stage", "s4j_unstage",
                          "s4j_err_handler", "s4j_callback", "S4jBridge::buf", "S4jBridge::buflen",
                          "S4jBridge::colptr", "S4jBridge::rowval", "S4jBridge::err_msg",
                          "S4jBridge::replay", "S4jBridge::replay_fit", "S4jBridge::replay_native",
                          "S4jBridge::replay_java", "S4jBridge::replay_beat").skip())
            // ERK: the shims, the job and the table list stay in C
            .put(new Info("s4j_erk_sens_rhs", "s4j_job_erk_outputs", "s4j_erk_outputs_loop", "s4j_erk_run_finish",
                          "s4j_erk_tables", "S4jErkSens::bridge", "S4jErkSens::y", "S4jErkSens::ydot", "S4jErkSens::v", "S4jErkSens::vdot").skip())
            // heap accounting: the chunk helpers serve the figures only
            .put(new Info("s4j_chunk_bytes", "s4j_request_bytes").skip())
            // glue: coroutine runs are driven through s4j_run_*/s4j_resume only
            .put(new Info("S4jRun", "S4jBridge::run", "s4j_yield_event", "s4j_run_body", "s4j_run_continue",
                          "s4j_run_args", "s4j_run_start", "s4j_run_forward",
                          "s4j_job_cvode", "s4j_job_cvodef", "s4j_bench_job_rhs",
                          "s4j_bench_job_poll", "s4j_job_outputs", "s4j_run_finish", "s4j_outputs_loop", "s4j_job_backward").skip())
            ;
    }
}
