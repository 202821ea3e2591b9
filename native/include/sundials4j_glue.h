/*
 * sundials4j native glue: the only C the JNI library adds to SUNDIALS.
 *
 * Why it exists: a JavaCPP callback taking N_Vector arguments costs two wrapper objects and two
 * DoublePointer allocations per call (~350-650 ns at n = 3). Here CVODES calls small C shims that
 * copy the vectors into per-solver staging buffers and call ONE Java entry point with primitives
 * only: (event, index, t, id). Java reads and writes the staging buffers through DoubleBuffer views
 * made once per solver, so a callback allocates nothing. Matrix layouts (dense, band, CSC) stay in C.
 *
 * One S4jBridge per solver: it is the CVODES user_data, owns the staging buffers and the last error
 * message of its SUNContext. The Java solver object creates it first and frees it last.
 *
 * Even the upcall costs ~150 ns on JDK 17, so integrations run the other way round
 * (sundials4j_coroutine.h): Java calls s4j_run_cvode & co., CVODES runs on the bridge's own stack,
 * and a shim that needs Java yields the event back as the return value of that call. Java evaluates
 * it and calls s4j_resume with the result, until the run returns CVODES' flag. The upcall stays as
 * the path for shims called on a thread stack (no coroutine: platform without the switch, out of
 * memory, the benchmark hooks).
 */
#ifndef SUNDIALS4J_GLUE_H
#define SUNDIALS4J_GLUE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_types.h>
#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunmatrix/sunmatrix_band.h>
#include <sunmatrix/sunmatrix_sparse.h>
#include <cvodes/cvodes.h>
#include <cvodes/cvodes_ls.h>
#include "sundials4j_coroutine.h"

/* What a callback asks Java to do. Values are mirrored in org.sundials4j.internal.Glue. */
#define S4J_EV_RHS 0      /* ydot = f(t, y)                                  */
#define S4J_EV_JAC 1      /* jac staging = df/dy (t, y), layout by jac kind  */
#define S4J_EV_SENS_RHS 2 /* v-dot = f_y v + f_p e_index (forward sensitivity) */
#define S4J_EV_RHS_B 3    /* adjoint: vdot = -f_y^T v, q = -f_p^T v           */
#define S4J_EV_QUAD_B 4   /* adjoint quadrature only (served from the same sweep) */
#define S4J_EV_JAC_B 5    /* adjoint Newton matrix: jac staging = -(df/dy)^T   */
#define S4J_EV_QUAD 6     /* forward quadrature: q = g(t, y)                  */
#define S4J_EV_QUAD_SENS 7 /* quadrature sensitivity index: q = g_y v + g_p e_index */
#define S4J_EV_ROOT 8     /* event triggers: g staging = g_i(t, y), one per root */
#define S4J_EV_POLL 9     /* no evaluation: may the run go on? (0, or the flag that stops it)  */

/* Staging buffers of a bridge. */
#define S4J_BUF_Y 0    /* state y (n)                                  */
#define S4J_BUF_YDOT 1 /* derivative (n)                               */
#define S4J_BUF_JAC 2  /* Jacobian values in the layout of the kind    */
#define S4J_BUF_V 3    /* sensitivity or adjoint vector (n)            */
#define S4J_BUF_VDOT 4 /* its derivative (n)                           */
#define S4J_BUF_Q 5    /* quadrature right-hand side                   */
#define S4J_BUF_STATS 6 /* 13 counters for s4j_stats_to, made with the solver */
#define S4J_BUF_G 7    /* root (event trigger) values                  */
#define S4J_NBUF 8

/* Jacobian staging layouts. */
#define S4J_JAC_DENSE 0  /* column-major n*n                                    */
#define S4J_JAC_BAND 1   /* (mu+ml+1) per column: (i,j) at j*(mu+ml+1)+i-j+mu */
#define S4J_JAC_SPARSE 2 /* CSC values in the order of the bridge's pattern    */

/* The single Java entry point: returns 0 on success, >0 recoverable, <0 fatal. */
typedef int (*S4jCallback)(int event, int index, double t, long long id);

/* The return value of s4j_run_* and s4j_resume while a callback is pending: S4J_PENDING | event << 24
 * | index. CVODES flags are far below it. Mirrored in org.sundials4j.internal.Glue. */
#define S4J_PENDING (1 << 30)
#define S4J_PENDING_EVENT_SHIFT 24
#define S4J_PENDING_INDEX_MASK 0xFFFFFF

/* Where a bridge's run is: no run, CVODES executing on the coroutine, or waiting for Java. */
#define S4J_RUN_IDLE 0
#define S4J_RUN_BUSY 1
#define S4J_RUN_WAITING 2

struct S4jBridge;

/* One integration call executed on the bridge's coroutine. */
typedef struct S4jRun {
  S4jCoro* coro; /* made on the first run; NULL when unavailable (then runs use the upcall) */
  int state;
  int (*job)(struct S4jBridge*); /* what the coroutine executes; returns CVODES' flag */
  void* mem;                     /* job arguments                                     */
  N_Vector y, v;
  double tout;
  long long count;
  int pending;   /* packed event Java must serve                          */
  int result;    /* Java's answer to it                                   */
  int flag;      /* the job's result                                      */
  int ncheck;    /* CVodeF's checkpoint count                             */
  /* what Java reads after a run through one view, no call each: [0] time of the pending event,
   * [1] time CVODES reached, [2] CVODES' last step size after a forward run (0 or NaN: no step
   * made), [3] outputs done (s4j_run_outputs), [4] CVodeF's checkpoint count */
  double io[5];
  int begin_failed; /* which call of s4j_begin failed: 0 CVodeSetInitStep, 1 CVodeReInit */
  /* s4j_run_backward: the backward problem, its start time, whether to restart it there, whether it
   * has a linear solver (for its counters), and which of its calls failed (S4J_BWD_*) */
  int which, restart, has_ls, failed_call;
  double t0;
  /* s4j_run_outputs: the output times, the states reached at them (n per time), how many are done,
   * and whether the calls are CVodeF (checkpoints for the adjoint) or CVode */
  int checkpoints;
  double* times;
  double* states;
  long long cap_times, cap_states;
  int nt, done;
  /* s4j_run_outputs_sens: the forward sensitivities read at each output (CVodeGetSens into `sens`,
   * copied to sens_states, ns * n per time), and CVodeGetSens's flag if it failed */
  N_Vector* sens;
  int ns, sens_flag;
  double* sens_states;
  long long cap_sens_states;
} S4jRun;

typedef struct S4jBridge {
  long long id; /* Java-side registry slot of the callback target */
  sunindextype n;
  double* buf[S4J_NBUF];
  sunindextype buflen[S4J_NBUF];
  int jac_kind;
  sunindextype mu, ml; /* band widths of the Jacobian                */
  sunindextype nnz;    /* CSC pattern of the Jacobian (KLU)             */
  sunindextype* colptr;
  sunindextype* rowval;
  int err_code; /* last error reported by SUNDIALS for this context */
  char err_msg[1024];
  S4jRun run;
  struct S4jReplay* replay;  /* native tape replay (sundials4j_replay.h), borrowed; NULL: all in Java */
  int replay_fit;            /* 0 not checked, 1 the replay's Jacobian fits this bridge's layout, -1 not */
  long long replay_native;   /* callbacks the replay answered          */
  long long replay_java;     /* callbacks that reached Java (s4j_call)  */
  int replay_beat;           /* native answers since the last heartbeat call to Java */
} S4jBridge;

static S4jCallback s4j_callback = NULL;

/* Installs the Java entry point, once per process. */
inline void s4j_install_callback(S4jCallback cb) { s4j_callback = cb; }

inline S4jBridge* s4j_bridge_new(long long id, long long n)
{
  S4jBridge* b = (S4jBridge*)calloc(1, sizeof(S4jBridge));
  if (b == NULL) { return NULL; }
  b->id = id;
  b->n  = (sunindextype)n;
  return b;
}

/* A run still waiting for Java here was abandoned after CVodeFree: it cannot be resumed any more,
 * so its stack is discarded unfinished (CVODES allocates nothing during a step). */
inline void s4j_bridge_free(S4jBridge* b)
{
  if (b == NULL) { return; }
  s4j_coro_free(b->run.coro);
  free(b->run.times);
  free(b->run.states);
  free(b->run.sens_states);
  for (int i = 0; i < S4J_NBUF; i++) { free(b->buf[i]); }
  free(b->colptr);
  free(b->rowval);
  free(b);
}

/* (Re)allocates staging buffer `which` with `len` doubles, zeroed; returns it (NULL on failure). */
inline double* s4j_bridge_alloc(S4jBridge* b, int which, long long len)
{
  if (which < 0 || which >= S4J_NBUF || len < 0) { return NULL; }
  free(b->buf[which]);
  b->buf[which]    = (double*)calloc(len > 0 ? (size_t)len : 1, sizeof(double));
  b->buflen[which] = b->buf[which] ? (sunindextype)len : 0;
  return b->buf[which];
}

inline void s4j_bridge_dense_jac(S4jBridge* b) { b->jac_kind = S4J_JAC_DENSE; }

inline void s4j_bridge_band_jac(S4jBridge* b, long long mu, long long ml)
{
  b->jac_kind = S4J_JAC_BAND;
  b->mu       = (sunindextype)mu;
  b->ml       = (sunindextype)ml;
}

/* Copies the CSC pattern (colptr has n+1 entries); returns 0, or -1 when out of memory. */
inline int s4j_bridge_sparse_jac(S4jBridge* b, const long long* colptr, const long long* rowval,
                                 long long nnz)
{
  free(b->colptr);
  free(b->rowval);
  b->colptr = (sunindextype*)malloc((size_t)(b->n + 1) * sizeof(sunindextype));
  b->rowval = (sunindextype*)malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(sunindextype));
  if (b->colptr == NULL || b->rowval == NULL) { return -1; }
  for (sunindextype j = 0; j <= b->n; j++) { b->colptr[j] = (sunindextype)colptr[j]; }
  for (long long k = 0; k < nnz; k++) { b->rowval[k] = (sunindextype)rowval[k]; }
  b->nnz      = (sunindextype)nnz;
  b->jac_kind = S4J_JAC_SPARSE;
  return 0;
}

inline const char* s4j_bridge_error_message(S4jBridge* b) { return b->err_msg; }
inline int s4j_bridge_error_code(S4jBridge* b) { return b->err_code; }
inline void s4j_bridge_clear_error(S4jBridge* b) { b->err_msg[0] = 0; b->err_code = 0; }

/* ---- error routing: SUNDIALS' messages go to the bridge, not to stderr ---------------------- */

static void s4j_err_handler(int line, const char* func, const char* file, const char* msg,
                            SUNErrCode err_code, void* err_user_data, SUNContext sunctx)
{
  (void)line; (void)file; (void)sunctx;
  S4jBridge* b = (S4jBridge*)err_user_data;
  if (b == NULL) { return; }
  b->err_code = (int)err_code;
  snprintf(b->err_msg, sizeof(b->err_msg), "%s: %s", func ? func : "?", msg ? msg : "");
}

/* Replaces the context's error handlers (the default logs to stderr) by one writing to `b`. */
inline int s4j_bridge_route_errors(S4jBridge* b, SUNContext ctx)
{
  SUNErrCode e = SUNContext_ClearErrHandlers(ctx);
  if (e != 0) { return (int)e; }
  /* CVODES' warnings ("t + h = t", ...) go through the context's logger, which prints them to
   * stdout by default, where they would corrupt a program's output (our CLI's JSON, say). Without a
   * logger CVODES drops them; every failure they precede still comes back as a flag. */
  e = SUNContext_SetLogger(ctx, NULL);
  if (e != 0) { return (int)e; }
  return (int)SUNContext_PushErrHandler(ctx, s4j_err_handler, b);
}

/* ---- shims ---------------------------------------------------------------------------------- */

/* On a coroutine: hands the event to the Java loop of the bridge whose run owns the coroutine (for
 * CVodeB that is the forward bridge, while b is the backward problem's; both share the target id)
 * and waits for its answer. Never upcalls from there: the JVM must only see its own thread stacks. */
static int s4j_yield_event(S4jCoro* co, S4jBridge* b, int event, int index, double t)
{
  S4jBridge* home = (S4jBridge*)co->arg;
  if (home->id != b->id || index < 0 || index > S4J_PENDING_INDEX_MASK) { return -1; }
  home->run.pending = S4J_PENDING | (event << S4J_PENDING_EVENT_SHIFT) | index;
  home->run.io[0]   = t;
  home->run.state   = S4J_RUN_WAITING;
  s4j_coro_yield(co);
  return home->run.result;
}

/* Hands an event to Java: through the coroutine when CVODES runs on one, else by the upcall. */
static inline int s4j_dispatch(S4jBridge* b, int event, int index, double t)
{
  b->replay_beat = 0;
  S4jCoro* co = s4j_coro_current();
  if (co != NULL) { return s4j_yield_event(co, b, event, index, t); }
  if (s4j_callback == NULL) { return -1; }
  return s4j_callback(event, index, t, b->id);
}

static inline int s4j_call(S4jBridge* b, int event, int index, double t)
{
  b->replay_java++;
  return s4j_dispatch(b, event, index, t);
}

/* The heartbeat of a native run (sundials4j_replay.h): asks Java whether the run may go on, without
 * an evaluation. Not counted as a Java callback: nothing was computed there. */
static int s4j_poll(S4jBridge* b, double t)
{
  return s4j_dispatch(b, S4J_EV_POLL, 0, t);
}

static inline void s4j_stage(S4jBridge* b, int which, N_Vector v)
{
  memcpy(b->buf[which], N_VGetArrayPointer(v), (size_t)b->buflen[which] * sizeof(double));
}

static inline void s4j_unstage(S4jBridge* b, int which, N_Vector v)
{
  memcpy(N_VGetArrayPointer(v), b->buf[which], (size_t)b->buflen[which] * sizeof(double));
}

#include "sundials4j_replay.h"

static int s4j_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data)
{
  S4jBridge* b = (S4jBridge*)user_data;
  S4J_REPLAY(b, t, s4j_rp_rhs(b, t, y, ydot));
  s4j_stage(b, S4J_BUF_Y, y);
  int r = s4j_call(b, S4J_EV_RHS, 0, t);
  if (r == 0) { s4j_unstage(b, S4J_BUF_YDOT, ydot); }
  return r;
}

/* Copies the Jacobian staging buffer into J in J's own layout. */
static void s4j_jac_to_matrix(S4jBridge* b, SUNMatrix J)
{
  const double* s = b->buf[S4J_BUF_JAC];
  sunindextype n  = b->n;
  switch (b->jac_kind)
  {
  case S4J_JAC_DENSE:
    for (sunindextype j = 0; j < n; j++)
    {
      memcpy(SUNDenseMatrix_Column(J, j), s + j * n, (size_t)n * sizeof(double));
    }
    break;
  case S4J_JAC_BAND: {
    sunindextype w = b->mu + b->ml + 1;
    for (sunindextype j = 0; j < n; j++)
    {
      double* col = SUNBandMatrix_Column(J, j); /* col[i - j] is entry (i, j) */
      for (sunindextype k = -b->mu; k <= b->ml; k++)
      {
        sunindextype i = j + k;
        if (i >= 0 && i < n) { col[k] = s[j * w + k + b->mu]; }
      }
    }
    break;
  }
  case S4J_JAC_SPARSE:
    /* CVLS zeroes the whole CSC matrix (indices too) before each evaluation: restore both. */
    memcpy(SUNSparseMatrix_IndexPointers(J), b->colptr, (size_t)(n + 1) * sizeof(sunindextype));
    memcpy(SUNSparseMatrix_IndexValues(J), b->rowval, (size_t)b->nnz * sizeof(sunindextype));
    memcpy(SUNSparseMatrix_Data(J), s, (size_t)b->nnz * sizeof(double));
    break;
  }
}

static int s4j_jac_common(S4jBridge* b, int event, double t, SUNMatrix J)
{
  memset(b->buf[S4J_BUF_JAC], 0, (size_t)b->buflen[S4J_BUF_JAC] * sizeof(double));
  int r = s4j_call(b, event, 0, t);
  if (r == 0) { s4j_jac_to_matrix(b, J); }
  return r;
}

static int s4j_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void* user_data,
                   N_Vector tmp1, N_Vector tmp2, N_Vector tmp3)
{
  (void)fy; (void)tmp1; (void)tmp2; (void)tmp3;
  S4jBridge* b = (S4jBridge*)user_data;
  S4J_REPLAY(b, t, s4j_rp_jac(b, t, y, J, 1.0, 0));
  s4j_stage(b, S4J_BUF_Y, y);
  return s4j_jac_common(b, S4J_EV_JAC, t, J);
}

/* Forward sensitivity, one parameter at a time: sdot = f_y s + f_p[is]. */
static int s4j_sens_rhs(int Ns, sunrealtype t, N_Vector y, N_Vector ydot, int is, N_Vector yS,
                        N_Vector ySdot, void* user_data, N_Vector tmp1, N_Vector tmp2)
{
  (void)Ns; (void)ydot; (void)tmp1; (void)tmp2;
  S4jBridge* b = (S4jBridge*)user_data;
  S4J_REPLAY(b, t, s4j_rp_sens_rhs(b, t, y, is, yS, ySdot));
  s4j_stage(b, S4J_BUF_Y, y);
  s4j_stage(b, S4J_BUF_V, yS);
  int r = s4j_call(b, S4J_EV_SENS_RHS, is, t);
  if (r == 0) { s4j_unstage(b, S4J_BUF_VDOT, ySdot); }
  return r;
}

/* Forward quadrature q' = g(t, y). */
static int s4j_quad(sunrealtype t, N_Vector y, N_Vector qdot, void* user_data)
{
  S4jBridge* b = (S4jBridge*)user_data;
  S4J_REPLAY(b, t, s4j_rp_quad(b, t, y, qdot));
  s4j_stage(b, S4J_BUF_Y, y);
  int r = s4j_call(b, S4J_EV_QUAD, 0, t);
  if (r == 0) { s4j_unstage(b, S4J_BUF_Q, qdot); }
  return r;
}

/* Quadrature sensitivities, one index at a time through the same staging buffers. */
static int s4j_quad_sens(int Ns, sunrealtype t, N_Vector y, N_Vector* yS, N_Vector yQdot,
                         N_Vector* yQSdot, void* user_data, N_Vector tmp, N_Vector tmpQ)
{
  (void)yQdot; (void)tmp; (void)tmpQ;
  S4jBridge* b = (S4jBridge*)user_data;
  S4J_REPLAY(b, t, s4j_rp_quad_sens(b, t, y, Ns, yS, yQSdot));
  s4j_stage(b, S4J_BUF_Y, y);
  for (int is = 0; is < Ns; is++)
  {
    s4j_stage(b, S4J_BUF_V, yS[is]);
    int r = s4j_call(b, S4J_EV_QUAD_SENS, is, t);
    if (r != 0) { return r; }
    s4j_unstage(b, S4J_BUF_Q, yQSdot[is]);
  }
  return 0;
}

/* Adjoint: yBdot = -f_y^T yB. The reverse sweep that gives it also gives -f_p^T yB, which Java
 * keeps so that the quadrature callback at the same (t, y, yB) costs no second sweep. */
static int s4j_rhs_b(sunrealtype t, N_Vector y, N_Vector yB, N_Vector yBdot, void* user_dataB)
{
  S4jBridge* b = (S4jBridge*)user_dataB;
  S4J_REPLAY(b, t, s4j_rp_rhs_b(b, t, y, yB, yBdot));
  s4j_stage(b, S4J_BUF_Y, y);
  s4j_stage(b, S4J_BUF_V, yB);
  int r = s4j_call(b, S4J_EV_RHS_B, 0, t);
  if (r == 0) { s4j_unstage(b, S4J_BUF_VDOT, yBdot); }
  return r;
}

static int s4j_quad_b(sunrealtype t, N_Vector y, N_Vector yB, N_Vector qBdot, void* user_dataB)
{
  S4jBridge* b = (S4jBridge*)user_dataB;
  S4J_REPLAY(b, t, s4j_rp_quad_b(b, t, y, yB, qBdot));
  s4j_stage(b, S4J_BUF_Y, y);
  s4j_stage(b, S4J_BUF_V, yB);
  int r = s4j_call(b, S4J_EV_QUAD_B, 0, t);
  if (r == 0) { s4j_unstage(b, S4J_BUF_Q, qBdot); }
  return r;
}

static int s4j_jac_b(sunrealtype t, N_Vector y, N_Vector yB, N_Vector fyB, SUNMatrix JB,
                     void* user_dataB, N_Vector tmp1B, N_Vector tmp2B, N_Vector tmp3B)
{
  (void)yB; (void)fyB; (void)tmp1B; (void)tmp2B; (void)tmp3B;
  S4jBridge* b = (S4jBridge*)user_dataB;
  S4J_REPLAY(b, t, s4j_rp_jac(b, t, y, JB, -1.0, 1));
  s4j_stage(b, S4J_BUF_Y, y);
  return s4j_jac_common(b, S4J_EV_JAC_B, t, JB);
}

/* Event triggers for CVODES' root finding: gout = g(t, y), one value per root function. */
static int s4j_root(sunrealtype t, N_Vector y, sunrealtype* gout, void* user_data)
{
  S4jBridge* b = (S4jBridge*)user_data;
  s4j_stage(b, S4J_BUF_Y, y);
  int r = s4j_call(b, S4J_EV_ROOT, 0, t);
  if (r == 0) { memcpy(gout, b->buf[S4J_BUF_G], (size_t)b->buflen[S4J_BUF_G] * sizeof(double)); }
  return r;
}

/* ---- runs: integrations on the bridge's coroutine, callbacks served by a Java loop ----------- */

static void s4j_run_body(S4jCoro* co, void* arg)
{
  S4jBridge* b = (S4jBridge*)arg;
  for (;;)
  {
    b->run.flag  = b->run.job(b);
    b->run.state = S4J_RUN_IDLE;
    s4j_coro_yield(co);
  }
}

/* Continues the run until CVODES needs Java or is done; returns what the Java loop acts on. */
static int s4j_run_continue(S4jBridge* b)
{
  s4j_coro_enter(b->run.coro);
  return b->run.state == S4J_RUN_WAITING ? b->run.pending : b->run.flag;
}

/* Finishes a run whose Java loop went away (an Error between start and resume, or a callback that
 * started a new run on its own solver): every pending callback fails, so CVODES unwinds normally. */
inline void s4j_abandon(S4jBridge* b)
{
  while (b->run.state == S4J_RUN_WAITING)
  {
    b->run.result = -1;
    b->run.state  = S4J_RUN_BUSY;
    s4j_run_continue(b);
  }
}

/* The job arguments of the next run, once no earlier run can still read them. */
static S4jRun* s4j_run_args(S4jBridge* b)
{
  s4j_abandon(b);
  return &b->run;
}

static int s4j_run_start(S4jBridge* b, int (*job)(S4jBridge*))
{
  if (b->run.coro == NULL) { b->run.coro = s4j_coro_new(s4j_run_body, b); }
  if (b->run.coro == NULL) { return job(b); } /* on this stack, callbacks by upcall */
  b->run.job   = job;
  b->run.state = S4J_RUN_BUSY;
  return s4j_run_continue(b);
}

/* Hands Java's callback result to the waiting run; same return convention as s4j_run_cvode. */
inline int s4j_resume(S4jBridge* b, int result)
{
  if (b->run.state != S4J_RUN_WAITING)
  {
    snprintf(b->err_msg, sizeof(b->err_msg), "s4j_resume: no callback pending (the run was abandoned)");
    return CV_ILL_INPUT;
  }
  b->run.result = result;
  b->run.state  = S4J_RUN_BUSY;
  return s4j_run_continue(b);
}

/* s4j_resume for the serving loop: the bridge by address, so the JNI call reads no Pointer fields
 * (two GetLongField calls per callback otherwise). */
inline int s4j_resume_at(long long bridge, int result)
{
  return s4j_resume((S4jBridge*)(intptr_t)bridge, result);
}

/* After a forward run: what Java reads of it through the io view (a NULL memory, the only way the
 * step query fails, has failed the run itself with CV_MEM_NULL, which never consults the step). */
static int s4j_run_finish(S4jRun* r, int flag)
{
  sunrealtype h = 1;
  CVodeGetLastStep(r->mem, &h);
  r->io[2] = h;
  r->io[3] = r->done;
  r->io[4] = r->ncheck;
  return flag;
}

static int s4j_job_cvode(S4jBridge* b)
{
  return s4j_run_finish(&b->run, CVode(b->run.mem, b->run.tout, b->run.y, &b->run.io[1], CV_NORMAL));
}

static int s4j_job_cvodef(S4jBridge* b)
{
  return s4j_run_finish(&b->run, CVodeF(b->run.mem, b->run.tout, b->run.y, &b->run.io[1], CV_NORMAL, &b->run.ncheck));
}

/* Copies the len values of y to out; 1 when all are finite. An output run stores each state this way
 * and stops at the first that is not finite (Java names it). */
static inline int s4j_keep_state(double* out, const double* y, sunindextype len)
{
  int finite = 1;
  for (sunindextype i = 0; i < len; i++)
  {
    out[i] = y[i];
    finite &= isfinite(y[i]) != 0;
  }
  return finite;
}

/* CVode (CVodeF with checkpoints) to every output time in turn, keeping each state (and, with
 * sensitivities, each S(t_k) from CVodeGetSens); stops at a failure or at a state that is not finite
 * (Java names it), so the run answers what the same calls made one by one from Java would. Why: a
 * solve or a forward-sensitivity gradient with many outputs (200 for lotka-volterra) paid a JNI call,
 * two stack switches and a copy into Java per output. */
static int s4j_outputs_loop(S4jBridge* b)
{
  S4jRun* r = &b->run;
  sunindextype n = b->n;
  const double* y = N_VGetArrayPointer(r->y);
  for (r->done = 0; r->done < r->nt; )
  {
    int flag = r->checkpoints ? CVodeF(r->mem, r->times[r->done], r->y, &r->io[1], CV_NORMAL, &r->ncheck)
                              : CVode(r->mem, r->times[r->done], r->y, &r->io[1], CV_NORMAL);
    if (flag < 0) { return flag; }
    int finite = s4j_keep_state(r->states + (size_t)r->done * (size_t)n, y, n);
    if (r->ns > 0 && finite)
    {
      double tret;
      r->sens_flag = CVodeGetSens(r->mem, &tret, r->sens);
      if (r->sens_flag < 0) { return r->sens_flag; }
      double* s = r->sens_states + (size_t)r->done * (size_t)r->ns * (size_t)n;
      for (int j = 0; j < r->ns; j++)
      {
        memcpy(s + (size_t)j * (size_t)n, N_VGetArrayPointer(r->sens[j]), (size_t)n * sizeof(double));
      }
    }
    r->done++;
    if (!finite) { return flag; }
  }
  return CV_SUCCESS;
}

static int s4j_job_outputs(S4jBridge* b) { return s4j_run_finish(&b->run, s4j_outputs_loop(b)); }

/* Grows *buf to hold len doubles (contents dropped); 0, or -1 when out of memory. */
static int s4j_run_reserve(double** buf, long long* cap, long long len)
{
  if (len <= *cap) { return 0; }
  free(*buf);
  *buf = (double*)malloc((size_t)(len > 0 ? len : 1) * sizeof(double));
  *cap = *buf == NULL ? 0 : len;
  return *buf == NULL ? -1 : 0;
}

static int s4j_run_forward(S4jBridge* b, void* cvode_mem, N_Vector y, double tout, int (*job)(S4jBridge*))
{
  S4jRun* r = s4j_run_args(b);
  r->mem     = cvode_mem;
  r->y       = y;
  r->tout    = tout;
  return s4j_run_start(b, job);
}

/* CVode(mem, tout, y, tret, CV_NORMAL): a pending event (>= S4J_PENDING) or CVODES' flag.
 * tret is s4j_run_io(b)[1] once the run is done. */
inline int s4j_run_cvode(S4jBridge* b, void* cvode_mem, N_Vector y, double tout)
{
  return s4j_run_forward(b, cvode_mem, y, tout, s4j_job_cvode);
}

/* CVodeF(..., CV_NORMAL, ncheck): as s4j_run_cvode; ncheck is s4j_run_io(b)[4] once done. */
inline int s4j_run_cvodef(S4jBridge* b, void* cvode_mem, N_Vector y, double tout)
{
  return s4j_run_forward(b, cvode_mem, y, tout, s4j_job_cvodef);
}

/* s4j_run_outputs that also reads the ns forward sensitivities at each output (CVodeGetSens into
 * yS, then kept: ns * n doubles per output done, sensitivity j of output k at (k * ns + j) * n, copied
 * out by s4j_run_copy_outputs). A failed CVodeGetSens ends the run with its flag, also in
 * s4j_run_sens_flag. */
inline int s4j_run_outputs_sens(S4jBridge* b, void* cvode_mem, N_Vector y, const double* times, int nt,
                                int checkpoints, N_Vector* yS, int ns)
{
  S4jRun* r    = s4j_run_args(b);
  r->nt        = 0;
  r->done      = 0;
  r->ns        = 0;
  r->sens_flag = 0;
  if (nt < 0 || ns < 0 || s4j_run_reserve(&r->times, &r->cap_times, nt) != 0
      || s4j_run_reserve(&r->states, &r->cap_states, (long long)nt * b->n) != 0
      || s4j_run_reserve(&r->sens_states, &r->cap_sens_states, (long long)nt * ns * b->n) != 0)
  {
    snprintf(b->err_msg, sizeof(b->err_msg), "s4j_run_outputs: out of memory for %d outputs of %ld states (%d sensitivities)",
             nt, (long)b->n, ns);
    return CV_MEM_FAIL;
  }
  memcpy(r->times, times, (size_t)nt * sizeof(double));
  r->nt          = nt;
  r->checkpoints = checkpoints;
  r->sens        = yS;
  r->ns          = yS == NULL ? 0 : ns;
  return s4j_run_forward(b, cvode_mem, y, 0.0, s4j_job_outputs);
}

/* CVode(mem, times[k], y, tret, CV_NORMAL) for k = 0 .. nt-1 in one run (times copied here), CVodeF
 * when `checkpoints` (its checkpoint count then in s4j_run_io(b)[4]): a pending event, or the flag of
 * the last call. Then s4j_run_io(b)[3] outputs are done, their states (n doubles each) copied out by
 * s4j_run_copy_outputs; tret is s4j_run_io(b)[1]. Fewer than nt done with a flag >= 0 means the last
 * state done is not finite. */
inline int s4j_run_outputs(S4jBridge* b, void* cvode_mem, N_Vector y, const double* times, int nt, int checkpoints)
{
  return s4j_run_outputs_sens(b, cvode_mem, y, times, nt, checkpoints, NULL, 0);
}

/* Copies what the last s4j_run_outputs produced into Java's arrays: the states (n per output done)
 * and, when `sens` is given, the sensitivities (ns * n per output done) from sens[sens_at] on;
 * returns the outputs done. One call instead of a pointer object and a copy call per buffer. */
inline int s4j_run_copy_outputs(S4jBridge* b, double* states, double* sens, long long sens_at)
{
  S4jRun* r = &b->run;
  size_t n  = (size_t)b->n;
  if (states != NULL && r->done > 0) { memcpy(states, r->states, (size_t)r->done * n * sizeof(double)); }
  if (sens != NULL && r->ns > 0 && r->done > 0)
  {
    memcpy(sens + sens_at, r->sens_states, (size_t)r->done * (size_t)r->ns * n * sizeof(double));
  }
  return r->done;
}

inline int s4j_run_sens_flag(S4jBridge* b) { return b->run.sens_flag; }

/* The doubles Java views once (S4jRun.io): the pending event's time, the time CVODES reached, ... */
inline double* s4j_run_io(S4jBridge* b) { return b->run.io; }

/* The start of a run in one call (each of these was a JNI crossing of its own): the bridge's path
 * counters and error message cleared, the replay's parameters `p` (when the bridge has a replay and
 * p is given), CVODES' initial step `hin` (0: its own estimate), y = y0 and CVodeReInit at t0.
 * Returns 0, or the failed call's flag; s4j_begin_failed_call then says which (0 CVodeSetInitStep,
 * 1 CVodeReInit). */
/* What every run's start does before its integrator's calls (s4j_begin, s4j_erk_begin): the path
 * counters and error message cleared, the replay's parameters p (when there are both), no call failed. */
static inline void s4j_begin_counts(S4jBridge* b, const double* p)
{
  s4j_bridge_reset_counts(b);
  if (b->replay != NULL && p != NULL) { s4j_replay_parameters(b->replay, p); }
  s4j_bridge_clear_error(b);
  b->run.begin_failed = 0;
}

inline int s4j_begin(S4jBridge* b, void* cvode_mem, N_Vector y, double t0, const double* y0, double hin, const double* p)
{
  s4j_begin_counts(b, p);
  int flag = CVodeSetInitStep(cvode_mem, hin);
  if (flag < 0) { return flag; }
  memcpy(N_VGetArrayPointer(y), y0, (size_t)b->n * sizeof(double));
  b->run.begin_failed = 1;
  flag                = CVodeReInit(cvode_mem, t0, y);
  return flag < 0 ? flag : 0;
}

inline int s4j_begin_failed_call(S4jBridge* b) { return b->run.begin_failed; }

/* All counters of a CVODES memory in one call (one JNI crossing, no pointer allocations in Java):
 * out[0..11] = steps, RHS evals, LS RHS evals, Jacobian evals, LS setups, error-test fails,
 * nonlinear iterations, convergence fails, last order, last step, initial step, current time.
 * Returns 0, or the first negative flag with out[12] = which call failed (0 integrator stats,
 * 1 nonlinear stats, 2 Jacobian evals, 3 LS RHS evals; 2 and 3 return CVLS flags). has_ls: whether a
 * linear solver is attached; without one (fixed-point iteration) its counters are zero and are not
 * asked for: CVLS would report "Linear solver memory is NULL" through the error handler, which
 * formats a message (~1 us, twice per backward interval of an adjoint) and overwrites the bridge's. */
inline int s4j_stats(void* cvode_mem, double* out, int has_ls)
{
  long int nst = 0, nfe = 0, nsetups = 0, netf = 0, nni = 0, ncf = 0, nje = 0, nfeLS = 0;
  int qlast = 0, qcur = 0;
  sunrealtype h0 = 0, hlast = 0, hcur = 0, tcur = 0;
  int flags[4];
  flags[0] = CVodeGetIntegratorStats(cvode_mem, &nst, &nfe, &nsetups, &netf, &qlast, &qcur, &h0, &hlast,
                                     &hcur, &tcur);
  flags[1] = CVodeGetNonlinSolvStats(cvode_mem, &nni, &ncf);
  flags[2] = has_ls ? CVodeGetNumJacEvals(cvode_mem, &nje) : 0;
  flags[3] = has_ls ? CVodeGetNumLinRhsEvals(cvode_mem, &nfeLS) : 0;
  for (int k = 0; k < 4; k++)
  {
    if (flags[k] < 0)
    {
      out[12] = k;
      return flags[k];
    }
  }
  double v[12] = {(double)nst,   (double)nfe, (double)nfeLS, (double)nje, (double)nsetups, (double)netf,
                  (double)nni,   (double)ncf, (double)qlast, hlast,        h0,              tcur};
  memcpy(out, v, sizeof(v));
  return 0;
}

/* s4j_stats into the bridge's S4J_BUF_STATS buffer (allocated with the solver, so reading the
 * counters never allocates and cannot fail for memory); -1 if that buffer is missing. */
inline int s4j_stats_to(void* cvode_mem, S4jBridge* b, int has_ls)
{
  if (b->buf[S4J_BUF_STATS] == NULL || b->buflen[S4J_BUF_STATS] < 13) { return -1; }
  return s4j_stats(cvode_mem, b->buf[S4J_BUF_STATS], has_ls);
}

/* Which call of a backward interval failed (s4j_run_failed_call). Mirrored in AdjointEngine. */
#define S4J_BWD_REINIT 0
#define S4J_BWD_QUAD_REINIT 1
#define S4J_BWD_CVODEB 2
#define S4J_BWD_GET 3
#define S4J_BWD_GET_QUAD 4
#define S4J_BWD_STATS 5

/* One interval of the adjoint's backward pass, every call of it in this run (each was a JNI crossing
 * of its own, and there is an interval per output time): restart the backward problem at t0 from yB
 * (and its quadrature from qB = run.v, when it has one) unless it was just created there, CVodeB down
 * to tout, yB and qB read back, and the backward memory's counters into the stats buffer. */
static int s4j_job_backward(S4jBridge* b)
{
  S4jRun* r = &b->run;
  sunrealtype t;
  int flag = 0;
  r->failed_call = S4J_BWD_REINIT;
  if (r->restart && (flag = CVodeReInitB(r->mem, r->which, r->t0, r->y)) < 0) { return flag; }
  r->failed_call = S4J_BWD_QUAD_REINIT;
  if (r->restart && r->v != NULL && (flag = CVodeQuadReInitB(r->mem, r->which, r->v)) < 0) { return flag; }
  r->failed_call = S4J_BWD_CVODEB;
  if ((flag = CVodeB(r->mem, r->tout, CV_NORMAL)) < 0) { return flag; }
  r->failed_call = S4J_BWD_GET;
  if ((flag = CVodeGetB(r->mem, r->which, &t, r->y)) < 0) { return flag; }
  r->failed_call = S4J_BWD_GET_QUAD;
  if (r->v != NULL && (flag = CVodeGetQuadB(r->mem, r->which, &t, r->v)) < 0) { return flag; }
  r->failed_call = S4J_BWD_STATS;
  return s4j_stats_to(CVodeGetAdjCVodeBmem(r->mem, r->which), b, r->has_ls);
}

/* The adjoint's backward problem `which` over one interval, from tB0 down to tBout (s4j_job_backward),
 * on the forward bridge (the backward bridge's events come here too): a pending event or the flag of the failed call (s4j_run_failed_call says
 * which) or 0. qB may be NULL (no quadrature); restart 0 right after CVodeCreateB/CVodeInitB at tB0. */
inline int s4j_run_backward(S4jBridge* b, void* cvode_mem, int which, double tB0, double tBout, N_Vector yB, N_Vector qB,
                            int restart, int has_ls)
{
  S4jRun* r  = s4j_run_args(b);
  r->mem     = cvode_mem;
  r->which   = which;
  r->t0      = tB0;
  r->tout    = tBout;
  r->y       = yB;
  r->v       = qB;
  r->restart = restart;
  r->has_ls  = has_ls;
  return s4j_run_start(b, s4j_job_backward);
}

inline int s4j_run_failed_call(S4jBridge* b) { return b->run.failed_call; }

/* Function-pointer getters: Java hands these to CVodeInit, CVodeSetJacFn, ... */
inline CVRhsFn s4j_rhs_fn(void) { return &s4j_rhs; }
inline CVLsJacFn s4j_jac_fn(void) { return &s4j_jac; }
inline CVSensRhs1Fn s4j_sens_rhs_fn(void) { return &s4j_sens_rhs; }
inline CVQuadRhsFn s4j_quad_fn(void) { return &s4j_quad; }
inline CVQuadSensRhsFn s4j_quad_sens_fn(void) { return &s4j_quad_sens; }
inline CVRhsFnB s4j_rhs_b_fn(void) { return &s4j_rhs_b; }
inline CVQuadRhsFnB s4j_quad_b_fn(void) { return &s4j_quad_b; }
inline CVLsJacFnB s4j_jac_b_fn(void) { return &s4j_jac_b; }
inline CVRootFn s4j_root_fn(void) { return &s4j_root; }

#endif
