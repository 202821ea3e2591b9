/*
 * sundials4j native tape replay: the tape's flat program (org.sundials4j.tape.Program) executed in C
 * inside CVODES' callbacks, so that a tape model's RHS, Jacobian (dense, band, CSC), JVP, VJP and
 * integrand evaluations never leave the solver's coroutine for Java.
 *
 * The loops are line-by-line ports of org.sundials4j.tape.Replay and Ops (same operation order, same
 * partials, same zero skips). Compiled without FMA contraction (x86-64 baseline code has no FMA, and
 * the pragma below forbids contraction should the flags change), every arithmetic instruction
 * gives the Java replay's bits. Transcendental functions come from the C library instead of the
 * JVM's (both within 1 ulp, not always the same ulp): README "Native replay" bounds the difference.
 *
 * A shim asks s4j_rp_* first; S4J_RP_JAVA means "serve this call in Java": no program (the model
 * is not a tape), a guard that flipped (Java re-records; the replay stays off until the solver
 * uploads the new recording), a non-finite result (Java makes the error message and the
 * recoverable flag), or a Jacobian layout the structure does not fit. Each answer is counted in the
 * bridge: replay_native or replay_java (s4j_call), the statistic of which path ran.
 *
 * One S4jReplay per solver, owned by the Java solver (s4j_replay_new / s4j_replay_free); the
 * forward and backward bridges borrow it.
 *
 * On x86-64 Linux each uploaded program is also compiled (sundials4j_jit.h): the four sweeps below
 * run its machine code when p->jit is set, and interpret otherwise; both give the same bits.
 */
#ifndef SUNDIALS4J_REPLAY_H
#define SUNDIALS4J_REPLAY_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC optimize("fp-contract=off")

#define S4J_RP_JAVA 0x7fff0000 /* not a CVODES answer: serve this call in Java */

/* Opcodes: mirrored from org.sundials4j.tape.Ops. */
enum {
  RP_ADD = 0, RP_SUB, RP_MUL, RP_DIV, RP_POW, RP_ATAN2, RP_MIN, RP_MAX, RP_HYPOT,
  RP_ADD_C, RP_RSUB_C, RP_MUL_C, RP_DIV_C, RP_RDIV_C, RP_POW_C, RP_RPOW_C,
  RP_NEG, RP_EXP, RP_LOG, RP_LOG1P, RP_EXPM1, RP_SQRT, RP_SIN, RP_COS, RP_TAN, RP_TANH, RP_SINH,
  RP_COSH, RP_ASIN, RP_ACOS, RP_ATAN, RP_ABS, RP_SIGMOID, RP_SOFTPLUS, RP_SQUARE, RP_SIGN
};
#define RP_LAST_BINARY RP_HYPOT
#define RP_LAST_SCALAR RP_SIGN
#define RP_FIRST_SPECIAL 64
#define RP_SELECT 64
#define RP_PACK 65
#define RP_DOT 66
#define RP_MATVEC 67
#define RP_MATVEC_T 68
#define RP_ACT 69

/* Why the replay is off (s4j_replay_state). */
#define S4J_RP_ON 0
#define S4J_RP_OFF_GUARD 1 /* a guard flipped: Java re-recorded */
#define S4J_RP_OFF_BRANCHES 2 /* the held branches do not fit the recording's switches */

typedef struct S4jProgram {
  int inputs, slots, ninstr, nout, nguard;
  int scalar_only; /* no block operations: the sweeps take their short loops */
  int single_writer; /* every slot written by one instruction at most (rp_single_writer) */
  int* code;    /* 4 per instruction: op, out, a, b */
  double* cst;  /* one per instruction              */
  int* aux;
  int* outputs;
  int* guards;  /* 3 per guard: l, r, cmp | outcome << 1 */
  int nswitch;  /* switches of its selects (aux of a select: l, r, t, f, switch) */
  const int* held; /* held branch of each switch (the replay's), or NULL: selects compare */
  struct S4jJit* jit; /* the program compiled to machine code (sundials4j_jit.h), or NULL: interpreted */
} S4jProgram;

/* Work arrays of one program, indexed by slot. */
typedef struct S4jWork {
  double *v, *pa, *pb, *dot, *bar, *lin_at;
  int lin_valid;
  long long lin_count; /* linearisations run: a sweep's result belongs to the one it was made at */
} S4jWork;

typedef struct S4jReplay {
  int n, np;
  S4jProgram f; /* the model: inputs t, y (n), p (np) */
  S4jWork fw;
  int has_g;    /* the integrand g(t, y, p): one output, all inputs active */
  int g_java;   /* the run has an integrand without a program here: fB and fQB, which add its
                   gradient, must go to Java (the forward quadrature does anyway: has_g is 0) */
  S4jProgram g;
  S4jWork gw;
  int* held;       /* the branches held for the model's switches (s4j_replay_branches) */
  int nheld;       /* entries held, 0: none */
  int state;       /* S4J_RP_ON or why not */
  double off_time; /* t at which it went off */
  /* Jacobian structure of f_y (org.sundials4j.tape.JacobianStructure) */
  int nnz, by_columns, ngroups;
  int *col_start, *row_index, *row_start, *col_index, *csc_pos, *group_start, *group_member;
  double* csc;
  int* trans_pos; /* position of CSC entry k in the transposed pattern (backward KLU), or NULL */
  /* forward sensitivities: parameter of sensitivity is, or -1 for an initial state */
  int ns;
  int* sens_param;
  /* adjoint: selected parameters of the backward quadrature, and the last sweep: f_p^T lambda + g_p in
   * out_p for cache_l at the model's linearisation number cache_lin (its (t, y) are still in lin_at) */
  int nsel;
  int* sel_param;
  int cache_valid;
  long long cache_lin;
  double *cache_l, *out_p, *out_y, *gy, *gp;
  long long sweeps, quad_b_calls;
  int jit; /* compile uploaded programs (sundials4j_jit.h); 0: interpret them (s4j_replay_use_jit) */
} S4jReplay;

/* ---- operations: ports of Ops.apply / partialA / partialB with Java's special cases ---------- */

static inline double rp_jmin(double a, double b)
{
  if (a != a) { return a; }
  if (a == 0.0 && b == 0.0 && signbit(b)) { return b; }
  return a <= b ? a : b;
}

static inline double rp_jmax(double a, double b)
{
  if (a != a) { return a; }
  if (a == 0.0 && b == 0.0 && signbit(a)) { return b; }
  return a >= b ? a : b;
}

static inline double rp_signum(double a) { return (a == 0.0 || a != a) ? a : (a > 0 ? 1.0 : -1.0); }

/* Java's Math.pow: NaN for a NaN exponent and for (+-1)^(+-inf), where C's pow gives 1. */
static inline double rp_pow(double a, double b)
{
  if (b != b) { return b; }
  if (isinf(b) && fabs(a) == 1.0) { return NAN; }
  return pow(a, b);
}

static inline double rp_sigmoid(double a)
{
  if (a >= 0) { return 1.0 / (1.0 + exp(-a)); }
  double e = exp(a);
  return e / (1.0 + e);
}

static double rp_apply(int op, double a, double b, double c)
{
  switch (op)
  {
  case RP_ADD: return a + b;
  case RP_SUB: return a - b;
  case RP_MUL: return a * b;
  case RP_DIV: return a / b;
  case RP_ADD_C: return a + c;
  case RP_RSUB_C: return c - a;
  case RP_MUL_C: return a * c;
  case RP_DIV_C: return a / c;
  case RP_RDIV_C: return c / a;
  case RP_NEG: return -a;
  case RP_SQUARE: return a * a;
  case RP_POW: return rp_pow(a, b);
  case RP_ATAN2: return atan2(a, b);
  case RP_MIN: return rp_jmin(a, b);
  case RP_MAX: return rp_jmax(a, b);
  case RP_HYPOT: return hypot(a, b);
  case RP_POW_C: return rp_pow(a, c);
  case RP_RPOW_C: return rp_pow(c, a);
  case RP_EXP: return exp(a);
  case RP_LOG: return log(a);
  case RP_LOG1P: return log1p(a);
  case RP_EXPM1: return expm1(a);
  case RP_SQRT: return sqrt(a);
  case RP_SIN: return sin(a);
  case RP_COS: return cos(a);
  case RP_TAN: return tan(a);
  case RP_TANH: return tanh(a);
  case RP_SINH: return sinh(a);
  case RP_COSH: return cosh(a);
  case RP_ASIN: return asin(a);
  case RP_ACOS: return acos(a);
  case RP_ATAN: return atan(a);
  case RP_ABS: return fabs(a);
  case RP_SIGMOID: return rp_sigmoid(a);
  case RP_SOFTPLUS: return rp_jmax(a, 0.0) + log1p(exp(-fabs(a)));
  case RP_SIGN: return rp_signum(a);
  default: return NAN; /* never: uploads are checked */
  }
}

static double rp_partial_a(int op, double a, double b, double c, double r)
{
  switch (op)
  {
  case RP_ADD: case RP_SUB: case RP_ADD_C: return 1.0;
  case RP_MUL: return b;
  case RP_DIV: return 1.0 / b;
  case RP_RSUB_C: case RP_NEG: return -1.0;
  case RP_MUL_C: return c;
  case RP_DIV_C: return 1.0 / c;
  case RP_RDIV_C: return -r / a;
  case RP_SQUARE: return 2.0 * a;
  case RP_EXP: return r;
  case RP_TANH: return 1.0 - r * r;
  case RP_SIGMOID: return r * (1.0 - r);
  case RP_POW: return b == 0 ? 0.0 : b * rp_pow(a, b - 1);
  case RP_ATAN2: { double s = a * a + b * b; return s == 0 ? 0.0 : b / s; }
  case RP_MIN: return a < b ? 1.0 : a > b ? 0.0 : 0.5;
  case RP_MAX: return a > b ? 1.0 : a < b ? 0.0 : 0.5;
  case RP_HYPOT: return r == 0 ? 0.0 : a / r;
  case RP_POW_C: return c == 0 ? 0.0 : c * rp_pow(a, c - 1);
  case RP_RPOW_C: return r * log(c);
  case RP_LOG: return 1.0 / a;
  case RP_LOG1P: return 1.0 / (1.0 + a);
  case RP_EXPM1: return r + 1.0;
  case RP_SQRT: return 0.5 / r;
  case RP_SIN: return cos(a);
  case RP_COS: return -sin(a);
  case RP_TAN: return 1.0 + r * r;
  case RP_SINH: return cosh(a);
  case RP_COSH: return sinh(a);
  case RP_ASIN: return 1.0 / sqrt(1.0 - a * a);
  case RP_ACOS: return -1.0 / sqrt(1.0 - a * a);
  case RP_ATAN: return 1.0 / (1.0 + a * a);
  case RP_ABS: return rp_signum(a);
  case RP_SOFTPLUS: return rp_sigmoid(a);
  case RP_SIGN: return 0.0;
  default: return NAN;
  }
}

static double rp_partial_b(int op, double a, double b, double r)
{
  switch (op)
  {
  case RP_ADD: return 1.0;
  case RP_SUB: return -1.0;
  case RP_MUL: return a;
  case RP_DIV: return -r / b;
  case RP_POW: return a == 0 ? 0.0 : r * log(a);
  case RP_ATAN2: { double s = a * a + b * b; return s == 0 ? 0.0 : -a / s; }
  case RP_MIN: return b < a ? 1.0 : b > a ? 0.0 : 0.5;
  case RP_MAX: return b > a ? 1.0 : b < a ? 0.0 : 0.5;
  case RP_HYPOT: return r == 0 ? 0.0 : b / r;
  default: return NAN;
  }
}

/* Ops.linearize: the arithmetic cases spelled out, the rest through apply and the partials. */
static inline void rp_linearize_op(int op, double a, double b, double c, double* v, double* pa, double* pb, int out)
{
  switch (op)
  {
  case RP_ADD: v[out] = a + b; pa[out] = 1.0; pb[out] = 1.0; return;
  case RP_SUB: v[out] = a - b; pa[out] = 1.0; pb[out] = -1.0; return;
  case RP_MUL: v[out] = a * b; pa[out] = b; pb[out] = a; return;
  case RP_ADD_C: v[out] = a + c; pa[out] = 1.0; return;
  case RP_MUL_C: v[out] = a * c; pa[out] = c; return;
  case RP_NEG: v[out] = -a; pa[out] = -1.0; return;
  default: {
    double r = rp_apply(op, a, b, c);
    v[out]   = r;
    pa[out]  = rp_partial_a(op, a, b, c, r);
    if (op <= RP_LAST_BINARY) { pb[out] = rp_partial_b(op, a, b, r); }
  }
  }
}

static inline int rp_compare(int cmp, double l, double r) { return cmp == 0 ? l > r : l >= r; }

/* The slot a select passes on (Replay.branch): by its comparison, or by the held branch of its switch. */
static inline int rp_branch(const int* aux, int ptr, int cmp, const double* v, const int* held)
{
  int side = held != NULL ? held[aux[ptr + 4]] : rp_compare(cmp, v[aux[ptr]], v[aux[ptr + 1]]);
  return side ? aux[ptr + 2] : aux[ptr + 3];
}

/* ---- sweeps: ports of Replay --------------------------------------------------------------- */

/* dst[out..] (+)= W x (+ bias) or W^T x; W from wa at w, x from xa, bias from ba (NULL: none). */
static void rp_matvec(int transposed, int m, int n, const double* wa, int w, const double* xa, int x,
                      const double* ba, int bias, double* dst, int out, int accumulate)
{
  if (!transposed)
  {
    /* Four rows at a time: four independent sums hide the add latency that a single row's chain
     * waits on (2-4x on square blocks), and every row's sum keeps Java's order, so the bits do too.
     * (OpenBLAS's dgemv is faster still but sums in another order with FMA: README "Native replay".) */
    int i = 0;
    for (; i + 4 <= m; i += 4)
    {
      double a0 = ba == NULL ? 0.0 : ba[bias + i], a1 = ba == NULL ? 0.0 : ba[bias + i + 1];
      double a2 = ba == NULL ? 0.0 : ba[bias + i + 2], a3 = ba == NULL ? 0.0 : ba[bias + i + 3];
      const double* r0 = wa + w + i * n;
      const double *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n;
      for (int j = 0; j < n; j++)
      {
        double xj = xa[x + j];
        a0 += r0[j] * xj;
        a1 += r1[j] * xj;
        a2 += r2[j] * xj;
        a3 += r3[j] * xj;
      }
      dst[out + i]     = accumulate ? dst[out + i] + a0 : a0;
      dst[out + i + 1] = accumulate ? dst[out + i + 1] + a1 : a1;
      dst[out + i + 2] = accumulate ? dst[out + i + 2] + a2 : a2;
      dst[out + i + 3] = accumulate ? dst[out + i + 3] + a3 : a3;
    }
    for (; i < m; i++)
    {
      double acc = ba == NULL ? 0.0 : ba[bias + i];
      int row    = w + i * n;
      for (int j = 0; j < n; j++) { acc += wa[row + j] * xa[x + j]; }
      dst[out + i] = accumulate ? dst[out + i] + acc : acc;
    }
  }
  else
  {
    if (!accumulate) { for (int j = 0; j < n; j++) { dst[out + j] = 0.0; } }
    int i = 0;
    /* Four rows per pass when none of their x is zero (a zero's row is skipped, as in Java): each
     * dst[j] still takes the rows' products in row order, in a register instead of memory. */
    for (; i + 4 <= m; i += 4)
    {
      double x0 = xa[x + i], x1 = xa[x + i + 1], x2 = xa[x + i + 2], x3 = xa[x + i + 3];
      const double* r0 = wa + w + i * n;
      if (x0 == 0 || x1 == 0 || x2 == 0 || x3 == 0)
      {
        for (int k = 0; k < 4; k++, r0 += n)
        {
          double xi = xa[x + i + k];
          if (xi == 0) { continue; }
          for (int j = 0; j < n; j++) { dst[out + j] += r0[j] * xi; }
        }
        continue;
      }
      const double *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n;
      for (int j = 0; j < n; j++)
      {
        double d = dst[out + j];
        d += r0[j] * x0;
        d += r1[j] * x1;
        d += r2[j] * x2;
        d += r3[j] * x3;
        dst[out + j] = d;
      }
    }
    for (; i < m; i++)
    {
      double xi = xa[x + i];
      if (xi == 0) { continue; }
      int row = w + i * n;
      for (int j = 0; j < n; j++) { dst[out + j] += wa[row + j] * xi; }
    }
  }
}

static void rp_special_values(const int* aux, int op, int out, int ptr, int b, double* v, const int* held)
{
  switch (op)
  {
  case RP_SELECT:
    v[out] = v[rp_branch(aux, ptr, b, v, held)];
    break;
  case RP_PACK: {
    int len = aux[ptr];
    for (int i = 0; i < len; i++) { v[out + i] = v[aux[ptr + 1 + i]]; }
    break;
  }
  case RP_DOT: {
    int len = aux[ptr], x = aux[ptr + 1], y = aux[ptr + 2];
    double acc = 0;
    for (int i = 0; i < len; i++) { acc += v[x + i] * v[y + i]; }
    v[out] = acc;
    break;
  }
  case RP_MATVEC:
  case RP_MATVEC_T: {
    int bias = aux[ptr + 4];
    rp_matvec(op == RP_MATVEC_T, aux[ptr], aux[ptr + 1], v, aux[ptr + 2], v, aux[ptr + 3], bias < 0 ? NULL : v, bias, v,
              out, 0);
    break;
  }
  case RP_ACT: {
    int len = aux[ptr], x = aux[ptr + 1], f = aux[ptr + 2];
    for (int i = 0; i < len; i++) { v[out + i] = rp_apply(f, v[x + i], 0, 0); }
    break;
  }
  }
}

/* The block and select instructions, one at code[q], with one signature for every sweep (v, pa, the
 * sweep's own array x: dot or bar, and its passive flag): the interpreter's general loops and the
 * JIT's calls (sundials4j_jit.h) run these same functions, so their bits are the same. */
static void rp_values_special(const S4jProgram* p, int q, double* v, double* pa, double* x, int flag)
{
  (void)pa; (void)x; (void)flag;
  const int* code = p->code;
  rp_special_values(p->aux, code[q], code[q + 1], code[q + 2], code[q + 3], v, p->held);
}

static void rp_linearize_special(const S4jProgram* p, int q, double* v, double* pa, double* x, int flag)
{
  (void)x; (void)flag;
  int op = p->code[q], out = p->code[q + 1], ptr = p->code[q + 2];
  rp_special_values(p->aux, op, out, ptr, p->code[q + 3], v, p->held);
  if (op == RP_ACT)
  {
    int len = p->aux[ptr], x0 = p->aux[ptr + 1], f = p->aux[ptr + 2];
    for (int i = 0; i < len; i++) { pa[out + i] = rp_partial_a(f, v[x0 + i], 0, 0, v[out + i]); }
  }
}

static void rp_tangent_special(const S4jProgram* p, int q, double* v, double* pa, double* dot, int passive_zero)
{
  const int* code = p->code;
  const int* aux  = p->aux;
  int op = code[q], out = code[q + 1];
  int ptr = code[q + 2], b = code[q + 3];
  switch (op)
  {
  case RP_SELECT:
    dot[out] = dot[rp_branch(aux, ptr, b, v, p->held)];
    break;
  case RP_PACK: {
    int len = aux[ptr];
    for (int i = 0; i < len; i++) { dot[out + i] = dot[aux[ptr + 1 + i]]; }
    break;
  }
  case RP_DOT: {
    int len = aux[ptr], x = aux[ptr + 1], y = aux[ptr + 2];
    double acc = 0;
    for (int i = 0; i < len; i++) { acc += dot[x + i] * v[y + i] + v[x + i] * dot[y + i]; }
    dot[out] = acc;
    break;
  }
  case RP_MATVEC:
  case RP_MATVEC_T: {
    int tr = op == RP_MATVEC_T;
    int m = aux[ptr], n = aux[ptr + 1], w = aux[ptr + 2], x = aux[ptr + 3], bias = aux[ptr + 4];
    rp_matvec(tr, m, n, v, w, dot, x, bias < 0 ? NULL : dot, bias, dot, out, 0);
    if (!(passive_zero && aux[ptr + 5] == 1)) { rp_matvec(tr, m, n, dot, w, v, x, NULL, -1, dot, out, 1); }
    break;
  }
  case RP_ACT: {
    int len = aux[ptr], x = aux[ptr + 1];
    for (int i = 0; i < len; i++)
    {
      double d      = dot[x + i];
      dot[out + i] = d == 0 ? 0.0 : pa[out + i] * d;
    }
    break;
  }
  }
}

static void rp_reverse_special(const S4jProgram* p, int q, double* v, double* pa, double* bar, int skip_passive)
{
  const int* code = p->code;
  const int* aux  = p->aux;
  int op = code[q], out = code[q + 1];
  int ptr = code[q + 2], b = code[q + 3];
  switch (op)
  {
  case RP_SELECT: {
    double g = bar[out];
    if (g != 0) { bar[rp_branch(aux, ptr, b, v, p->held)] += g; }
    break;
  }
  case RP_PACK: {
    int len = aux[ptr];
    for (int i = 0; i < len; i++) { bar[aux[ptr + 1 + i]] += bar[out + i]; }
    break;
  }
  case RP_DOT: {
    double g = bar[out];
    if (g == 0) { break; }
    int len = aux[ptr], x = aux[ptr + 1], y = aux[ptr + 2];
    for (int i = 0; i < len; i++)
    {
      bar[x + i] += g * v[y + i];
      bar[y + i] += g * v[x + i];
    }
    break;
  }
  case RP_MATVEC:
  case RP_MATVEC_T: {
    int tr = op == RP_MATVEC_T;
    int m = aux[ptr], n = aux[ptr + 1], w = aux[ptr + 2], x = aux[ptr + 3], bias = aux[ptr + 4];
    rp_matvec(!tr, m, n, v, w, bar, out, NULL, -1, bar, x, 1);
    if (bias >= 0) { for (int i = 0; i < m; i++) { bar[bias + i] += bar[out + i]; } }
    if (!(skip_passive && aux[ptr + 5] == 1))
    {
      /* W-bar += ybar x^T (y = W x) or x ybar^T (y = W^T x) */
      for (int i = 0; i < m; i++)
      {
        int row = w + i * n;
        if (!tr)
        {
          double gi = bar[out + i];
          if (gi == 0) { continue; }
          for (int j = 0; j < n; j++) { bar[row + j] += gi * v[x + j]; }
        }
        else
        {
          double xi = v[x + i];
          if (xi == 0) { continue; }
          for (int j = 0; j < n; j++) { bar[row + j] += xi * bar[out + j]; }
        }
      }
    }
    break;
  }
  case RP_ACT: {
    int len = aux[ptr], x = aux[ptr + 1];
    for (int i = 0; i < len; i++)
    {
      double g = bar[out + i];
      if (g != 0) { bar[x + i] += pa[out + i] * g; }
    }
    break;
  }
  }
}

#include "sundials4j_jit.h"

/* The value sweep. Why the arithmetic cases are spelled out here rather than left to rp_apply: the
 * call and its second switch per instruction were most of the interpreter's cost (a third of the
 * native share of a pollu solve); each case is rp_apply's own expression, so the bits are the same. */
static void rp_values(const S4jProgram* p, double* v)
{
  if (p->jit != NULL)
  {
    p->jit->values(p, v, NULL, NULL, NULL, 0);
    return;
  }
  const int* code   = p->code;
  const double* cst = p->cst;
  for (int k = 0, q = 0; k < p->ninstr; k++, q += 4)
  {
    int out = code[q + 1], a = code[q + 2], b = code[q + 3];
    switch (code[q])
    {
    case RP_ADD: v[out] = v[a] + v[b]; break;
    case RP_SUB: v[out] = v[a] - v[b]; break;
    case RP_MUL: v[out] = v[a] * v[b]; break;
    case RP_DIV: v[out] = v[a] / v[b]; break;
    case RP_ADD_C: v[out] = v[a] + cst[k]; break;
    case RP_RSUB_C: v[out] = cst[k] - v[a]; break;
    case RP_MUL_C: v[out] = v[a] * cst[k]; break;
    case RP_DIV_C: v[out] = v[a] / cst[k]; break;
    case RP_RDIV_C: v[out] = cst[k] / v[a]; break;
    case RP_NEG: v[out] = -v[a]; break;
    case RP_SQUARE: v[out] = v[a] * v[a]; break;
    default:
      if (code[q] < RP_FIRST_SPECIAL) { v[out] = rp_apply(code[q], v[a], v[b], cst[k]); }
      else { rp_values_special(p, q, v, NULL, NULL, 0); }
    }
  }
}

/* rp_reverse of a program of scalar operations only: its scalar case alone, in a loop small enough
 * for the compiler to keep every pointer in a register (in the general loop the block operations'
 * cases spill them to the stack on every instruction). Same operations, same order. */
static void rp_reverse_scalar(const int* code, int ninstr, const double* __restrict pa, const double* __restrict pb,
                              double* __restrict bar)
{
  for (const int* c = code + 4 * (ninstr - 1); c >= code; c -= 4)
  {
    int out  = c[1];
    double g = bar[out];
    if (g == 0) { continue; }
    bar[c[2]] += pa[out] * g;
    bar[c[3]] += pb[out] * g;
  }
}

/* rp_linearize of a program of scalar operations only, in its own short loop (see rp_reverse_scalar). */
static void rp_linearize_scalar(const int* code, const double* cst, int ninstr, double* v, double* pa, double* pb)
{
  const int* end = code + 4 * ninstr;
  for (; code < end; code += 4, cst++)
  {
    int op = code[0], out = code[1];
    double a = v[code[2]], b = v[code[3]];
    switch (op)
    {
    /* the constant partials of sums, differences and negations were set at upload (rp_unit_partials) */
    case RP_ADD: v[out] = a + b; break;
    case RP_SUB: v[out] = a - b; break;
    case RP_MUL: v[out] = a * b; pa[out] = b; pb[out] = a; break;
    case RP_NEG: v[out] = -a; break;
    default: rp_linearize_op(op, a, b, *cst, v, pa, pb, out);
    }
  }
}

static void rp_linearize(const S4jProgram* p, double* v, double* pa, double* pb)
{
  if (p->jit != NULL)
  {
    p->jit->linearize(p, v, pa, pb, NULL, 0);
    return;
  }
  const int* code = p->code;
  if (p->scalar_only && p->single_writer)
  {
    rp_linearize_scalar(code, p->cst, p->ninstr, v, pa, pb);
    return;
  }
  for (int k = 0, q = 0; k < p->ninstr; k++, q += 4)
  {
    int op = code[q], out = code[q + 1];
    if (op < RP_FIRST_SPECIAL) { rp_linearize_op(op, v[code[q + 2]], v[code[q + 3]], p->cst[k], v, pa, pb, out); }
    else { rp_linearize_special(p, q, v, pa, NULL, 0); }
  }
}

static void rp_tangent(const S4jProgram* p, double* v, double* pa, double* pb, double* dot, int passive_zero)
{
  if (p->jit != NULL)
  {
    p->jit->tangent(p, v, pa, pb, dot, passive_zero);
    return;
  }
  const int* code = p->code;
  for (int q = 0; q < 4 * p->ninstr; q += 4)
  {
    int op = code[q], out = code[q + 1];
    if (op < RP_FIRST_SPECIAL)
    {
      double da = dot[code[q + 2]];
      double t  = da == 0 ? 0.0 : pa[out] * da;
      if (op <= RP_LAST_BINARY)
      {
        double db = dot[code[q + 3]];
        if (db != 0) { t += pb[out] * db; }
      }
      dot[out] = t;
      continue;
    }
    rp_tangent_special(p, q, v, pa, dot, passive_zero);
  }
}

static void rp_reverse(const S4jProgram* p, double* v, double* pa, double* pb, double* bar, int skip_passive)
{
  if (p->jit != NULL)
  {
    p->jit->reverse(p, v, pa, pb, bar, skip_passive);
    return;
  }
  const int* code = p->code;
  if (p->scalar_only)
  {
    rp_reverse_scalar(code, p->ninstr, pa, pb, bar);
    return;
  }
  for (int q = 4 * p->ninstr - 4; q >= 0; q -= 4)
  {
    int op = code[q], out = code[q + 1];
    if (op < RP_FIRST_SPECIAL)
    {
      double g = bar[out];
      if (g == 0) { continue; }
      bar[code[q + 2]] += pa[out] * g;
      bar[code[q + 3]] += pb[out] * g;
      continue;
    }
    rp_reverse_special(p, q, v, pa, bar, skip_passive);
  }
}

static int rp_guards_hold(const S4jProgram* p, const double* v)
{
  for (int g = 0; g < 3 * p->nguard; g += 3)
  {
    int kind = p->guards[g + 2];
    if (rp_compare(kind & 1, v[p->guards[g]], v[p->guards[g + 1]]) != ((kind & 2) != 0)) { return 0; }
  }
  return 1;
}

/* ---- memory --------------------------------------------------------------------------------- */

static void* rp_copy(const void* src, size_t bytes)
{
  void* d = malloc(bytes > 0 ? bytes : 1);
  if (d != NULL && bytes > 0) { memcpy(d, src, bytes); }
  return d;
}

static void rp_program_free(S4jProgram* p, S4jWork* w)
{
  rp_jit_free(p->jit);
  free(p->code); free(p->cst); free(p->aux); free(p->outputs); free(p->guards);
  free(w->v); free(w->pa); free(w->pb); free(w->dot); free(w->bar); free(w->lin_at);
  memset(p, 0, sizeof(*p));
  memset(w, 0, sizeof(*w));
}

/* Every opcode must be one the sweeps know, every slot in range: a corrupt upload is refused. */
static int rp_program_valid(S4jProgram* p, int aux_len)
{
  p->scalar_only = 1;
  for (int k = 0; k < p->ninstr; k++)
  {
    int op = p->code[4 * k];
    if (op > RP_LAST_SCALAR) { p->scalar_only = 0; }
    int scalar = op >= 0 && op <= RP_LAST_SCALAR;
    int special = op >= RP_SELECT && op <= RP_ACT;
    if (!scalar && !special) { return 0; }
    if (p->code[4 * k + 1] < 0 || p->code[4 * k + 1] >= p->slots) { return 0; }
    if (scalar && (p->code[4 * k + 2] < 0 || p->code[4 * k + 2] >= p->slots || p->code[4 * k + 3] < 0
                   || p->code[4 * k + 3] >= p->slots)) { return 0; }
    if (special && (p->code[4 * k + 2] < 0 || p->code[4 * k + 2] >= aux_len)) { return 0; }
    if (op == RP_ACT && p->code[4 * k + 2] + 2 < aux_len)
    {
      int f = p->aux[p->code[4 * k + 2] + 2];
      if (f < RP_NEG || f > RP_LAST_SCALAR) { return 0; }
    }
  }
  for (int i = 0; i < p->nout; i++) { if (p->outputs[i] < 0 || p->outputs[i] >= p->slots) { return 0; } }
  return 1;
}

/* 1 + the largest switch number of the program's selects (0 without), or -1 if one is out of range. */
static int rp_switch_count(const S4jProgram* p, int aux_len)
{
  int count = 0;
  for (int k = 0; k < p->ninstr; k++)
  {
    if (p->code[4 * k] != RP_SELECT) { continue; }
    int ptr = p->code[4 * k + 2];
    if (ptr + 4 >= aux_len || p->aux[ptr + 4] < 0) { return -1; }
    if (p->aux[ptr + 4] >= count) { count = p->aux[ptr + 4] + 1; }
  }
  return count;
}

/* 1 when every slot is the output of at most one instruction and no instruction writes an input (the
 * tape's recordings are like that): a slot's pa and pb are then its instruction's alone, so the
 * partials set once at upload (rp_unit_partials) stay right, pb stays 0 for a unary or
 * constant-operand instruction, and the JIT's reverse sweep may rely on both. A program that writes a
 * slot twice takes the interpreter's general loops, which write every partial each time. */
static int rp_single_writer(const S4jProgram* p)
{
  unsigned char* w = (unsigned char*)calloc((size_t)p->slots + 1, 1);
  if (w == NULL) { return 0; }
  int ok = 1;
  for (int k = 0; k < p->ninstr && ok; k++)
  {
    const int* c = p->code + 4 * k;
    int len = 1;
    if (c[0] == RP_PACK || c[0] == RP_ACT || c[0] == RP_MATVEC) { len = p->aux[c[2]]; }
    else if (c[0] == RP_MATVEC_T) { len = p->aux[c[2] + 1]; }
    if (len < 0 || c[1] < p->inputs || len > p->slots - c[1]) { ok = 0; }
    for (int i = 0; ok && i < len; i++) { ok = w[c[1] + i]++ == 0; }
  }
  free(w);
  return ok;
}

/* The partials that never change (sums, differences, negations, and those of the constant-operand
 * forms: rp_partial_a's own expressions of the constant), once per upload: rp_linearize_scalar and the
 * JIT's linearisation leave them alone; every other writer of pa/pb writes these same values. */
static void rp_unit_partials(const S4jProgram* p, S4jWork* w)
{
  for (int k = 0; k < p->ninstr; k++)
  {
    int op = p->code[4 * k], out = p->code[4 * k + 1];
    if (op == RP_ADD || op == RP_SUB) { w->pa[out] = 1.0; w->pb[out] = op == RP_ADD ? 1.0 : -1.0; }
    else if (op == RP_NEG || op == RP_ADD_C || op == RP_RSUB_C || op == RP_MUL_C || op == RP_DIV_C)
    {
      w->pa[out] = rp_partial_a(op, 0, 0, p->cst[k], 0);
    }
  }
}

/* Loads a program and makes its work arrays; returns 0, or -1 (out of memory or invalid). */
static int rp_program_load(S4jProgram* p, S4jWork* w, int inputs, int slots, int ninstr, const int* code,
                           const double* cst, int aux_len, const int* aux, int nout, const int* outputs, int nguard,
                           const int* guards, const double* tmpl, int jit)
{
  rp_program_free(p, w);
  p->inputs = inputs; p->slots = slots; p->ninstr = ninstr; p->nout = nout; p->nguard = nguard;
  size_t sd = (size_t)slots * sizeof(double);
  p->code    = (int*)rp_copy(code, (size_t)ninstr * 4 * sizeof(int));
  p->cst     = (double*)rp_copy(cst, (size_t)ninstr * sizeof(double));
  p->aux     = (int*)rp_copy(aux, (size_t)aux_len * sizeof(int));
  p->outputs = (int*)rp_copy(outputs, (size_t)nout * sizeof(int));
  p->guards  = (int*)rp_copy(guards, (size_t)nguard * 3 * sizeof(int));
  w->v = (double*)rp_copy(tmpl, sd);
  w->pa = (double*)calloc((size_t)slots + 1, sizeof(double));
  w->pb = (double*)calloc((size_t)slots + 1, sizeof(double));
  w->dot = (double*)calloc((size_t)slots + 1, sizeof(double));
  w->bar = (double*)calloc((size_t)slots + 1, sizeof(double));
  w->lin_at = (double*)calloc((size_t)inputs + 1, sizeof(double));
  if (!p->code || !p->cst || !p->aux || !p->outputs || !p->guards || !w->v || !w->pa || !w->pb || !w->dot
      || !w->bar || !w->lin_at || !rp_program_valid(p, aux_len) || (p->nswitch = rp_switch_count(p, aux_len)) < 0)
  {
    rp_program_free(p, w);
    return -1;
  }
  p->single_writer = rp_single_writer(p);
  rp_unit_partials(p, w);
  p->jit = jit ? rp_jit_compile(p) : NULL; /* NULL: interpreted (s4j_replay_jitted says so) */
  return 0;
}

inline S4jReplay* s4j_replay_new(int n, int np)
{
  S4jReplay* r = (S4jReplay*)calloc(1, sizeof(S4jReplay));
  if (r == NULL) { return NULL; }
  r->n = n; r->np = np;
  size_t sn = (size_t)n + 1, sp = (size_t)np + 1;
  r->cache_l = (double*)calloc(sn, sizeof(double));
  r->gy = (double*)calloc(sn, sizeof(double));
  r->out_y = (double*)calloc(sn, sizeof(double));
  r->out_p = (double*)calloc(sp, sizeof(double));
  r->gp = (double*)calloc(sp, sizeof(double));
  r->state = S4J_RP_ON;
  r->jit   = 1;
  if (!r->cache_l || !r->gy || !r->out_y || !r->out_p || !r->gp)
  {
    free(r->cache_l); free(r->gy); free(r->out_y); free(r->out_p); free(r->gp);
    free(r);
    return NULL;
  }
  return r;
}

static void rp_free_jacobian(S4jReplay* r)
{
  free(r->col_start); free(r->row_index); free(r->row_start); free(r->col_index); free(r->csc_pos);
  free(r->group_start); free(r->group_member); free(r->csc); free(r->trans_pos);
  r->col_start = r->row_index = r->row_start = r->col_index = r->csc_pos = r->group_start = r->group_member = NULL;
  r->trans_pos = NULL;
  r->csc       = NULL;
  r->nnz = r->ngroups = 0;
}

inline void s4j_replay_free(S4jReplay* r)
{
  if (r == NULL) { return; }
  rp_program_free(&r->f, &r->fw);
  rp_program_free(&r->g, &r->gw);
  rp_free_jacobian(r);
  free(r->sens_param); free(r->sel_param); free(r->held);
  free(r->cache_l); free(r->gy); free(r->out_y); free(r->out_p); free(r->gp);
  free(r);
}

/* The model's program (inputs t, y, p); switches the replay on. Returns 0 or -1. */
inline int s4j_replay_model(S4jReplay* r, int inputs, int slots, int ninstr, const int* code, const double* cst,
                            int aux_len, const int* aux, int nout, const int* outputs, int nguard, const int* guards,
                            const double* tmpl)
{
  if (inputs != 1 + r->n + r->np || nout != r->n) { return -1; }
  if (rp_program_load(&r->f, &r->fw, inputs, slots, ninstr, code, cst, aux_len, aux, nout, outputs, nguard, guards,
                      tmpl, r->jit) != 0) { return -1; }
  r->state       = S4J_RP_ON;
  r->cache_valid = 0;
  if (r->nheld > 0)
  {
    if (r->nheld != r->f.nswitch) { r->state = S4J_RP_OFF_BRANCHES; }
    else { r->f.held = r->held; }
  }
  return 0;
}

/* Holds branch sides[k] for switch k of the model's selects (a piecewise model between two switches:
 * org.sundials4j.tape.Replay, "Held branches"); count 0 lets the comparisons decide again. 0, or -1
 * when count does not fit the recording's switches (the replay is then off: Java serves). */
inline int s4j_replay_branches(S4jReplay* r, int count, const int* sides)
{
  r->fw.lin_valid = 0;
  r->cache_valid  = 0;
  r->f.held       = NULL;
  if (count <= 0 || sides == NULL)
  {
    r->nheld = 0;
    if (r->state == S4J_RP_OFF_BRANCHES) { r->state = S4J_RP_ON; }
    return 0;
  }
  int* h = (int*)realloc(r->held, (size_t)count * sizeof(int));
  if (h == NULL) { r->nheld = 0; r->state = S4J_RP_OFF_BRANCHES; return -1; }
  r->held = h;
  for (int k = 0; k < count; k++) { h[k] = sides[k] != 0; }
  r->nheld = count;
  if (r->f.code == NULL || count != r->f.nswitch)
  {
    r->state = S4J_RP_OFF_BRANCHES;
    return -1;
  }
  r->f.held = h;
  if (r->state == S4J_RP_OFF_BRANCHES) { r->state = S4J_RP_ON; }
  return 0;
}

/* The integrand's program (inputs t, y, p; one output). Returns 0 or -1. */
inline int s4j_replay_integrand(S4jReplay* r, int inputs, int slots, int ninstr, const int* code, const double* cst,
                                int aux_len, const int* aux, int nout, const int* outputs, int nguard,
                                const int* guards, const double* tmpl)
{
  r->has_g = 0;
  if (inputs != 1 + r->n + r->np || nout != 1) { return -1; }
  if (rp_program_load(&r->g, &r->gw, inputs, slots, ninstr, code, cst, aux_len, aux, nout, outputs, nguard, guards,
                      tmpl, r->jit) != 0) { return -1; }
  r->has_g  = 1;
  r->g_java = 0;
  return 0;
}

/* The run's integrand has no program here (not a tape, or its upload was refused): Java serves
 * every call that needs it. */
inline void s4j_replay_integrand_in_java(S4jReplay* r)
{
  r->has_g  = 0;
  r->g_java = 1;
}

/* The Jacobian structure of f_y (JacobianStructure's arrays; groups flattened: members of group c are
 * group_member[group_start[c] .. group_start[c+1]), columns when by_columns, else rows). */
inline int s4j_replay_jacobian(S4jReplay* r, int nnz, const int* col_start, const int* row_index, const int* row_start,
                               const int* col_index, const int* csc_pos, int by_columns, int ngroups,
                               const int* group_start, const int* group_member)
{
  rp_free_jacobian(r);
  int n = r->n;
  r->nnz = nnz; r->by_columns = by_columns; r->ngroups = ngroups;
  r->col_start = (int*)rp_copy(col_start, (size_t)(n + 1) * sizeof(int));
  r->row_index = (int*)rp_copy(row_index, (size_t)nnz * sizeof(int));
  r->row_start = (int*)rp_copy(row_start, (size_t)(n + 1) * sizeof(int));
  r->col_index = (int*)rp_copy(col_index, (size_t)nnz * sizeof(int));
  r->csc_pos = (int*)rp_copy(csc_pos, (size_t)nnz * sizeof(int));
  r->group_start = (int*)rp_copy(group_start, (size_t)(ngroups + 1) * sizeof(int));
  r->group_member = (int*)rp_copy(group_member, (size_t)group_start[ngroups] * sizeof(int));
  r->csc = (double*)calloc((size_t)nnz + 1, sizeof(double));
  if (!r->col_start || !r->row_index || !r->row_start || !r->col_index || !r->csc_pos || !r->group_start
      || !r->group_member || !r->csc)
  {
    rp_free_jacobian(r);
    return -1;
  }
  return 0;
}

/* Forward sensitivities: the parameter of each (-1 for an initial state). */
inline int s4j_replay_sensitivities(S4jReplay* r, int ns, const int* sens_param)
{
  free(r->sens_param);
  r->sens_param = (int*)rp_copy(sens_param, (size_t)ns * sizeof(int));
  r->ns         = r->sens_param ? ns : 0;
  return r->sens_param ? 0 : -1;
}

/* Adjoint: the parameters of the backward quadrature, in order. */
inline int s4j_replay_adjoint(S4jReplay* r, int nsel, const int* sel_param)
{
  free(r->sel_param);
  r->sel_param = (int*)rp_copy(sel_param, (size_t)nsel * sizeof(int));
  r->nsel      = r->sel_param ? nsel : 0;
  return r->sel_param ? 0 : -1;
}

/* The parameters of the next run (into the input slots of both programs). */
inline void s4j_replay_parameters(S4jReplay* r, const double* p)
{
  int base = 1 + r->n;
  if (r->f.code) { memcpy(r->fw.v + base, p, (size_t)r->np * sizeof(double)); r->fw.lin_valid = 0; }
  if (r->has_g) { memcpy(r->gw.v + base, p, (size_t)r->np * sizeof(double)); r->gw.lin_valid = 0; }
  r->cache_valid = 0;
}

/* Where the replay stands: S4J_RP_ON, or why it is off; out[0] = the time it went off, out[1] reverse
 * sweeps, out[2] backward quadrature calls (the Gradient statistics' share of the native path). */
inline int s4j_replay_state(S4jReplay* r, double* out)
{
  out[0] = r->off_time;
  out[1] = (double)r->sweeps;
  out[2] = (double)r->quad_b_calls;
  return r->state;
}

inline void s4j_replay_reset_counters(S4jReplay* r)
{
  r->sweeps       = 0;
  r->quad_b_calls = 0;
  r->cache_valid  = 0;
}

/* Whether the programs uploaded from now on are compiled (1, the default) or interpreted (0: the
 * system property sundials4j.replay.jit=off). */
inline void s4j_replay_use_jit(S4jReplay* r, int on) { r->jit = on != 0; }

/* 1 when the model's program (and the integrand's, if one is uploaded) runs as compiled code, 0 when
 * the interpreter runs one of them (JIT off, or the compilation fell back). */
inline int s4j_replay_jitted(S4jReplay* r)
{
  return r->f.code != NULL && r->f.jit != NULL && (!r->has_g || r->g.jit != NULL);
}

static int rp_jacobian_csc_at(S4jReplay* r, double t);

/* One sweep of the model's program at the input slots x (t, y, p), for tests of the compiled code
 * against the interpreter: compiled 1 runs the JIT's code (-1 when there is none), 0 the interpreter.
 * sweep 0: values, out = every slot; 1: linearisation, out = v, pa, pb (3 * slots); 2: tangent of
 * the input direction seed (inputs), out = every slot's tangent; 3: reverse sweep of the output
 * adjoints seed (n), out = every slot's adjoint; 4: f_y by the structure's colouring (tangent or
 * reverse sweeps, as for CVODES), out = its CSC values (nnz; -1 without a structure or when a result
 * is not finite). flag is the tangent's passive_zero or the reverse's skip_passive. The work arrays
 * are the solver's: no run may be in progress. */
inline int s4j_replay_probe(S4jReplay* r, int sweep, int compiled, int flag, const double* x, const double* seed,
                            double* out)
{
  S4jProgram* p = &r->f;
  S4jWork* w    = &r->fw;
  if (p->code == NULL || (compiled && p->jit == NULL) || sweep < 0 || sweep > 4) { return -1; }
  struct S4jJit* jit = p->jit;
  if (!compiled) { p->jit = NULL; }
  size_t sd = (size_t)p->slots * sizeof(double);
  memcpy(w->v, x, (size_t)p->inputs * sizeof(double));
  w->lin_valid   = 0;
  r->cache_valid = 0;
  if (sweep == 4)
  {
    int rc = r->csc == NULL ? -1 : rp_jacobian_csc_at(r, x[0]);
    p->jit = jit;
    if (rc != 0) { return -1; }
    memcpy(out, r->csc, (size_t)r->nnz * sizeof(double));
    return 0;
  }
  if (sweep == 0) { rp_values(p, w->v); }
  else { rp_linearize(p, w->v, w->pa, w->pb); }
  if (sweep == 2)
  {
    memset(w->dot, 0, sd);
    memcpy(w->dot, seed, (size_t)p->inputs * sizeof(double));
    rp_tangent(p, w->v, w->pa, w->pb, w->dot, flag);
  }
  else if (sweep == 3)
  {
    memset(w->bar, 0, sd);
    for (int i = 0; i < p->nout; i++) { w->bar[p->outputs[i]] += seed[i]; }
    rp_reverse(p, w->v, w->pa, w->pb, w->bar, flag);
  }
  p->jit = jit;
  const double* src = sweep == 2 ? w->dot : sweep == 3 ? w->bar : w->v;
  memcpy(out, src, sd);
  if (sweep == 1)
  {
    memcpy(out + p->slots, w->pa, sd);
    memcpy(out + 2 * (size_t)p->slots, w->pb, sd);
  }
  return 0;
}

/* ---- evaluations ---------------------------------------------------------------------------- */

static inline int rp_on(const S4jReplay* r) { return r != NULL && r->state == S4J_RP_ON && r->f.code != NULL; }

/* Plain loops rather than memcpy here and below: for the few states of most models the library
 * call costs more than the copy, and these run on every callback. */
static inline void rp_load(const S4jReplay* r, double* v, double t, N_Vector y)
{
  const double* yy = N_VGetArrayPointer(y);
  v[0] = t;
  for (int i = 0; i < r->n; i++) { v[1 + i] = yy[i]; }
}

/* A guard flipped at t: the Java path takes over (and re-records). */
static int rp_guard_off(S4jReplay* r, double t)
{
  r->state    = S4J_RP_OFF_GUARD;
  r->off_time = t;
  return S4J_RP_JAVA;
}

/* Bitwise equality of len doubles (memcmp's, and Java's Arrays.equals' but for NaN payloads), inline:
 * the lengths are a few states, where a library call costs more than the comparison. */
static inline int rp_same_bits(const double* a, const double* b, int len)
{
  for (int i = 0; i < len; i++)
  {
    uint64_t x, y;
    memcpy(&x, a + i, sizeof x);
    memcpy(&y, b + i, sizeof y);
    if (x != y) { return 0; }
  }
  return 1;
}

/* TapeEvaluator.linearize: a no-op at the inputs of the previous linearisation. Only t and y are
 * compared: the parameters change only through s4j_replay_parameters, which drops the
 * linearisation. 0, or S4J_RP_JAVA. */
static int rp_lin(S4jReplay* r, S4jProgram* p, S4jWork* w, double t)
{
  int m = 1 + r->n;
  if (w->lin_valid && rp_same_bits(w->v, w->lin_at, m)) { return 0; }
  rp_linearize(p, w->v, w->pa, w->pb);
  w->lin_count++;
  if (!rp_guards_hold(p, w->v))
  {
    w->lin_valid = 0;
    return rp_guard_off(r, t);
  }
  for (int i = 0; i < m; i++) { w->lin_at[i] = w->v[i]; }
  w->lin_valid = 1;
  return 0;
}

static inline int rp_finite(const double* x, int len)
{
  for (int i = 0; i < len; i++) { if (!isfinite(x[i])) { return 0; } }
  return 1;
}

static int rp_rhs(S4jReplay* r, double t, N_Vector y, N_Vector ydot)
{
  S4jWork* w = &r->fw;
  rp_load(r, w->v, t, y);
  w->lin_valid = 0;
  rp_values(&r->f, w->v);
  if (!rp_guards_hold(&r->f, w->v)) { return rp_guard_off(r, t); }
  double* out = N_VGetArrayPointer(ydot);
  for (int i = 0; i < r->n; i++) { out[i] = w->v[r->f.outputs[i]]; }
  return rp_finite(out, r->n) ? 0 : S4J_RP_JAVA;
}

/* JacobianStructure.compute: f_y into r->csc by column or row groups. */
static int rp_jacobian_csc(S4jReplay* r, double t, N_Vector y)
{
  rp_load(r, r->fw.v, t, y);
  return rp_jacobian_csc_at(r, t);
}

/* rp_jacobian_csc at the inputs already in the model's v. */
static int rp_jacobian_csc_at(S4jReplay* r, double t)
{
  S4jWork* w = &r->fw;
  if (rp_lin(r, &r->f, w, t) != 0) { return S4J_RP_JAVA; }
  const S4jProgram* p = &r->f;
  for (int c = 0; c < r->ngroups; c++)
  {
    const int* g = r->group_member + r->group_start[c];
    int len      = r->group_start[c + 1] - r->group_start[c];
    if (r->by_columns)
    {
      memset(w->dot, 0, (size_t)p->inputs * sizeof(double));
      for (int k = 0; k < len; k++) { w->dot[1 + g[k]] = 1.0; }
      rp_tangent(p, w->v, w->pa, w->pb, w->dot, 1);
      for (int k = 0; k < len; k++)
      {
        int j = g[k];
        for (int e = r->col_start[j]; e < r->col_start[j + 1]; e++) { r->csc[e] = w->dot[p->outputs[r->row_index[e]]]; }
      }
    }
    else
    {
      memset(w->bar, 0, (size_t)p->slots * sizeof(double));
      for (int k = 0; k < len; k++) { w->bar[p->outputs[g[k]]] += 1.0; }
      rp_reverse(p, w->v, w->pa, w->pb, w->bar, 1);
      for (int k = 0; k < len; k++)
      {
        int i = g[k];
        for (int e = r->row_start[i]; e < r->row_start[i + 1]; e++) { r->csc[r->csc_pos[e]] = w->bar[1 + r->col_index[e]]; }
      }
    }
  }
  return rp_finite(r->csc, r->nnz) ? 0 : S4J_RP_JAVA;
}

/* Writes sign * f_y (transposed when `transpose`) into J in the bridge's layout; the structure must
 * fit it (checked by s4j_replay_fits). CVLS zeroed J before the call. */
static void rp_jacobian_to_matrix(const S4jReplay* r, const S4jBridge* b, SUNMatrix J, double sign, int transpose)
{
  int n = r->n;
  if (b->jac_kind == S4J_JAC_SPARSE)
  {
    memcpy(SUNSparseMatrix_IndexPointers(J), b->colptr, (size_t)(n + 1) * sizeof(sunindextype));
    memcpy(SUNSparseMatrix_IndexValues(J), b->rowval, (size_t)b->nnz * sizeof(sunindextype));
    double* d = SUNSparseMatrix_Data(J);
    for (int e = 0; e < r->nnz; e++) { d[transpose ? r->trans_pos[e] : e] = sign * r->csc[e]; }
    return;
  }
  for (int j = 0; j < n; j++)
  {
    for (int e = r->col_start[j]; e < r->col_start[j + 1]; e++)
    {
      int i = r->row_index[e], row = transpose ? j : i, col = transpose ? i : j;
      double val = sign * r->csc[e];
      /* the accessors' macros: the functions cost a library call per entry */
      if (b->jac_kind == S4J_JAC_DENSE) { SM_COLUMN_D(J, col)[row] = val; }
      else { SM_COLUMN_B(J, col)[row - col] = val; }
    }
  }
}

/* Whether the structure fits bridge b's Jacobian layout (transposed for the backward problem): every
 * entry inside the band, or the CSC pattern the bridge was given. For the backward KLU pattern it
 * also records where each entry lands. 1 when it fits. */
inline int s4j_replay_fits(S4jReplay* r, S4jBridge* b, int transpose)
{
  int n = r->n;
  if (r->csc == NULL) { return 0; }
  if (b->jac_kind == S4J_JAC_DENSE) { return 1; }
  if (b->jac_kind == S4J_JAC_BAND)
  {
    for (int j = 0; j < n; j++)
    {
      for (int e = r->col_start[j]; e < r->col_start[j + 1]; e++)
      {
        int i = r->row_index[e], row = transpose ? j : i, col = transpose ? i : j;
        if (row - col > b->ml || col - row > b->mu) { return 0; }
      }
    }
    return 1;
  }
  if (b->nnz != r->nnz || b->colptr == NULL) { return 0; }
  if (!transpose)
  {
    for (int j = 0; j <= n; j++) { if (b->colptr[j] != r->col_start[j]) { return 0; } }
    for (int e = 0; e < r->nnz; e++) { if (b->rowval[e] != r->row_index[e]) { return 0; } }
    return 1;
  }
  free(r->trans_pos);
  r->trans_pos = (int*)malloc((size_t)r->nnz * sizeof(int) + 1);
  if (r->trans_pos == NULL) { return 0; }
  for (int j = 0; j < n; j++)
  {
    for (int e = r->col_start[j]; e < r->col_start[j + 1]; e++)
    {
      int i = r->row_index[e], at = -1; /* entry (i, j) of f_y is (j, i) of the transpose: column i, row j */
      for (sunindextype k = b->colptr[i]; k < b->colptr[i + 1]; k++) { if (b->rowval[k] == j) { at = (int)k; } }
      if (at < 0) { return 0; }
      r->trans_pos[e] = at;
    }
  }
  return 1;
}

/* Forward sensitivity is: s' = f_y s + f_p e_is (TapeOdeModel.jvp with a unit w). */
static int rp_sens_rhs(S4jReplay* r, double t, N_Vector y, int is, N_Vector yS, N_Vector ySdot)
{
  S4jWork* w = &r->fw;
  if (is < 0 || is >= r->ns) { return S4J_RP_JAVA; }
  rp_load(r, w->v, t, y);
  if (rp_lin(r, &r->f, w, t) != 0) { return S4J_RP_JAVA; }
  memset(w->dot, 0, (size_t)r->f.inputs * sizeof(double));
  memcpy(w->dot + 1, N_VGetArrayPointer(yS), (size_t)r->n * sizeof(double));
  if (r->sens_param[is] >= 0) { w->dot[1 + r->n + r->sens_param[is]] = 1.0; }
  rp_tangent(&r->f, w->v, w->pa, w->pb, w->dot, 0);
  double* out = N_VGetArrayPointer(ySdot);
  for (int i = 0; i < r->n; i++) { out[i] = w->dot[r->f.outputs[i]]; }
  return rp_finite(out, r->n) ? 0 : S4J_RP_JAVA;
}

static inline void rp_load_g(S4jReplay* r, double t, N_Vector y)
{
  rp_load(r, r->gw.v, t, y);
}

/* g(t, y, p). */
static int rp_quad(S4jReplay* r, double t, N_Vector y, N_Vector qdot)
{
  if (!r->has_g) { return S4J_RP_JAVA; }
  S4jWork* w = &r->gw;
  rp_load_g(r, t, y);
  w->lin_valid = 0;
  rp_values(&r->g, w->v);
  if (!rp_guards_hold(&r->g, w->v)) { return rp_guard_off(r, t); }
  double g = w->v[r->g.outputs[0]];
  if (!isfinite(g)) { return S4J_RP_JAVA; }
  N_VGetArrayPointer(qdot)[0] = g;
  return 0;
}

/* (g_y, g_p) by one reverse sweep of the integrand (TapeFunction.gradient). */
static int rp_integrand_gradient(S4jReplay* r, double t)
{
  S4jWork* w = &r->gw;
  if (rp_lin(r, &r->g, w, t) != 0) { return S4J_RP_JAVA; }
  memset(w->bar, 0, (size_t)r->g.slots * sizeof(double));
  w->bar[r->g.outputs[0]] += 1.0;
  rp_reverse(&r->g, w->v, w->pa, w->pb, w->bar, 0);
  memcpy(r->gy, w->bar + 1, (size_t)r->n * sizeof(double));
  memcpy(r->gp, w->bar + 1 + r->n, (size_t)r->np * sizeof(double));
  return 0;
}

/* Quadrature sensitivities: g_y s + g_p[param] for every sensitivity. */
static int rp_quad_sens(S4jReplay* r, double t, N_Vector y, int Ns, N_Vector* yS, N_Vector* yQSdot)
{
  if (!r->has_g || Ns != r->ns) { return S4J_RP_JAVA; }
  rp_load_g(r, t, y);
  if (rp_integrand_gradient(r, t) != 0) { return S4J_RP_JAVA; }
  for (int is = 0; is < Ns; is++)
  {
    const double* s = N_VGetArrayPointer(yS[is]);
    double v        = 0;
    for (int i = 0; i < r->n; i++) { v += r->gy[i] * s[i]; }
    if (r->sens_param[is] >= 0) { v += r->gp[r->sens_param[is]]; }
    N_VGetArrayPointer(yQSdot[is])[0] = v;
  }
  return 0;
}

/* SensitivityCallbacks.sweep: lambda^T f_y (+ g_y) into outY, lambda^T f_p (+ g_p) into r->out_p, and the cache. */
static int rp_sweep(S4jReplay* r, double t, N_Vector y, N_Vector yB, double* outY)
{
  S4jWork* w = &r->fw;
  int n = r->n, np = r->np;
  if (r->g_java) { return S4J_RP_JAVA; }
  rp_load(r, w->v, t, y);
  if (rp_lin(r, &r->f, w, t) != 0) { return S4J_RP_JAVA; }
  const double* lambda = N_VGetArrayPointer(yB);
  memset(w->bar, 0, (size_t)r->f.slots * sizeof(double));
  for (int i = 0; i < n; i++) { w->bar[r->f.outputs[i]] += lambda[i]; }
  rp_reverse(&r->f, w->v, w->pa, w->pb, w->bar, 0);
  memcpy(outY, w->bar + 1, (size_t)n * sizeof(double));
  memcpy(r->out_p, w->bar + 1 + n, (size_t)np * sizeof(double));
  r->sweeps++;
  if (r->has_g)
  {
    rp_load_g(r, t, y);
    if (rp_integrand_gradient(r, t) != 0) { return S4J_RP_JAVA; }
    for (int i = 0; i < n; i++) { outY[i] += r->gy[i]; }
    for (int j = 0; j < np; j++) { r->out_p[j] += r->gp[j]; }
  }
  r->cache_valid = 1;
  r->cache_lin   = w->lin_count;
  for (int i = 0; i < n; i++) { r->cache_l[i] = lambda[i]; }
  return 0;
}

/* lambda' = -(f_y^T lambda + g_y). */
static int rp_rhs_b(S4jReplay* r, double t, N_Vector y, N_Vector yB, N_Vector yBdot)
{
  double* out = N_VGetArrayPointer(yBdot);
  if (rp_sweep(r, t, y, yB, out) != 0) { return S4J_RP_JAVA; }
  for (int i = 0; i < r->n; i++) { out[i] = -out[i]; }
  return rp_finite(out, r->n) ? 0 : S4J_RP_JAVA;
}

/* mu' = -(f_p^T lambda + g_p) on the selected parameters; the sweep of rp_rhs_b at the same point is
 * reused: same (t, y) (those of the linearisation it was made at, not redone since) and lambda. */
static int rp_quad_b(S4jReplay* r, double t, N_Vector y, N_Vector yB, N_Vector qBdot)
{
  int n = r->n;
  const S4jWork* w = &r->fw;
  int hit = r->cache_valid && r->cache_lin == w->lin_count && rp_same_bits(&t, w->lin_at, 1)
            && rp_same_bits(N_VGetArrayPointer(y), w->lin_at + 1, n) && rp_same_bits(N_VGetArrayPointer(yB), r->cache_l, n);
  /* Java's Arrays.equals equates NaN with NaN where the bits may not: that costs a sweep, never a wrong answer. */
  if (!hit && rp_sweep(r, t, y, yB, r->out_y) != 0) { return S4J_RP_JAVA; }
  r->quad_b_calls++;
  double* q = N_VGetArrayPointer(qBdot);
  for (int k = 0; k < r->nsel; k++) { q[k] = -r->out_p[r->sel_param[k]]; }
  return rp_finite(q, r->nsel) ? 0 : S4J_RP_JAVA;
}

/* ---- the shims' entry points: S4J_RP_JAVA unless the replay is on and answers ---------------- */

/* Before every S4J_RP_HEARTBEAT-th native answer the run asks Java whether it may go on
 * (s4j_poll, no evaluation there): Java is where a run is stopped (cancel(), close() from another
 * thread, an interrupt, the time limit: org.sundials4j.ode.RunControl), so a native run still stops
 * within that many calls. A poll costs a yield and a resume (~50 ns), not a Java evaluation. */
#define S4J_RP_HEARTBEAT 64

/* In a glue shim at time t: returns the replay's answer from the shim (or the flag of a poll that
 * stops the run), unless there is no replay or it says Java. */
#define S4J_REPLAY(b, t, call)                                \
  do {                                                        \
    if ((b)->replay != NULL)                                  \
    {                                                         \
      if (++(b)->replay_beat >= S4J_RP_HEARTBEAT)             \
      {                                                       \
        int s4j_rp_poll_ = s4j_poll((b), (t));                \
        if (s4j_rp_poll_ != 0) { return s4j_rp_poll_; }       \
      }                                                       \
      int s4j_rp_answer_ = (call);                            \
      if (s4j_rp_answer_ != S4J_RP_JAVA)                      \
      {                                                       \
        (b)->replay_native++;                                 \
        return s4j_rp_answer_;                                \
      }                                                       \
    }                                                         \
  } while (0)

static int s4j_rp_rhs(S4jBridge* b, double t, N_Vector y, N_Vector ydot)
{
  return rp_on(b->replay) ? rp_rhs(b->replay, t, y, ydot) : S4J_RP_JAVA;
}

/* sign * f_y, transposed for the backward problem, straight into J. */
static int s4j_rp_jac(S4jBridge* b, double t, N_Vector y, SUNMatrix J, double sign, int transpose)
{
  S4jReplay* r = b->replay;
  if (!rp_on(r)) { return S4J_RP_JAVA; }
  if (b->replay_fit == 0) { b->replay_fit = s4j_replay_fits(r, b, transpose) ? 1 : -1; }
  if (b->replay_fit < 0 || rp_jacobian_csc(r, t, y) != 0) { return S4J_RP_JAVA; }
  rp_jacobian_to_matrix(r, b, J, sign, transpose);
  return 0;
}

static int s4j_rp_sens_rhs(S4jBridge* b, double t, N_Vector y, int is, N_Vector yS, N_Vector ySdot)
{
  return rp_on(b->replay) ? rp_sens_rhs(b->replay, t, y, is, yS, ySdot) : S4J_RP_JAVA;
}

static int s4j_rp_quad(S4jBridge* b, double t, N_Vector y, N_Vector qdot)
{
  return rp_on(b->replay) ? rp_quad(b->replay, t, y, qdot) : S4J_RP_JAVA;
}

static int s4j_rp_quad_sens(S4jBridge* b, double t, N_Vector y, int Ns, N_Vector* yS, N_Vector* yQSdot)
{
  return rp_on(b->replay) ? rp_quad_sens(b->replay, t, y, Ns, yS, yQSdot) : S4J_RP_JAVA;
}

static int s4j_rp_rhs_b(S4jBridge* b, double t, N_Vector y, N_Vector yB, N_Vector yBdot)
{
  return rp_on(b->replay) ? rp_rhs_b(b->replay, t, y, yB, yBdot) : S4J_RP_JAVA;
}

static int s4j_rp_quad_b(S4jBridge* b, double t, N_Vector y, N_Vector yB, N_Vector qBdot)
{
  return rp_on(b->replay) ? rp_quad_b(b->replay, t, y, yB, qBdot) : S4J_RP_JAVA;
}

/* ---- bridges -------------------------------------------------------------------------------- */

/* Lends the replay to a bridge (NULL: none); its Jacobian layout is checked again on first use. */
inline void s4j_bridge_set_replay(S4jBridge* b, S4jReplay* r)
{
  b->replay     = r;
  b->replay_fit = 0;
}

/* out[0] callbacks the replay answered, out[1] callbacks served in Java, since the last reset. */
inline void s4j_bridge_counts(S4jBridge* b, long long* out)
{
  out[0] = b->replay_native;
  out[1] = b->replay_java;
}

inline void s4j_bridge_reset_counts(S4jBridge* b)
{
  b->replay_native = 0;
  b->replay_java   = 0;
  b->replay_beat   = 0;
}

#endif
