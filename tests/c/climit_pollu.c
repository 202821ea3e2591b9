/*
 * POLLU for the C limit (see climit.h): Problems.md's pollu with the settings of
 * org.sundials4j.problems.Objectives.pollu: BDF, rtol 1e-6, atol 1e-10 (solve and gradient),
 * backward and quadrature tolerances the same, 150 steps between checkpoints, Hermite;
 * L = sum over t in {1, 5, 10, 30, 60} of sum_i y_i(t)^2. The right-hand side is spelled out as in
 * the problem set; the Jacobian and the adjoint products come from the reaction table (reactants
 * and stoichiometry, as org.sundials4j.problems.Pollu holds them).
 */
#include <stdlib.h>
#include <string.h>

#include <cvodes/cvodes.h>

#include "climit.h"

#define NS 20
#define NR 25

static const double K[NR] = {.35,   26.6, 1.23e4, 8.6e-4, 8.2e-4, 1.5e4,   1.3e-4, 2.4e4, 1.65e4,
                             9e3,   .022, 1.2e4,  1.88,   1.63e4, 4.8e6,   3.5e-4, .0175, 1e8,
                             4.44e11, 1240, 2.1,  5.78,   .0474,  1780,    3.12};
static double y0[NS];
static double abstol[NS];
static const double TIMES[5] = {1, 5, 10, 30, 60};

/* 0-based reactants of each reaction: a, and b (-1 for a first-order reaction) */
static const int REACT[NR][2] = {{0, -1},  {1, 3},   {4, 1},  {6, -1},  {6, -1},  {6, 5},   {8, -1},
                                 {8, 5},   {10, 1},  {10, 0}, {12, -1}, {9, 1},   {13, -1}, {0, 5},
                                 {2, -1},  {3, -1},  {3, -1}, {15, -1}, {15, -1}, {16, 5},  {18, -1},
                                 {18, -1}, {0, 3},   {18, 0}, {19, -1}};

/* per species, 1-based reactions producing (+j) or consuming (-j) it, 0-terminated */
static const int STOICH[NS][13] = {{-1, -10, -14, -23, -24, 2, 3, 9, 11, 12, 22, 25},
                                   {-2, -3, -9, -12, 1, 21},
                                   {-15, 1, 17, 19, 22},
                                   {-2, -16, -17, -23, 15},
                                   {-3, 4, 4, 6, 7, 13, 20},
                                   {-6, -8, -14, -20, 3, 18, 18},
                                   {-4, -5, -6, 13},
                                   {4, 5, 6, 7},
                                   {-7, -8},
                                   {-12, 7, 9},
                                   {-9, -10, 8, 11},
                                   {9},
                                   {-11, 10},
                                   {-13, 12},
                                   {14},
                                   {-18, -19, 16},
                                   {-20},
                                   {20},
                                   {-21, -22, -24, 23, 25},
                                   {-25, 24}};

/* the stoichiometry as (species, reaction, sign) terms, made once by setup */
typedef struct {
  int i, j;
  double s;
} Term;
static Term terms[NS * 13];
static int nterms;

static void setup(void)
{
  y0[1] = 0.2; y0[3] = 0.04; y0[6] = 0.1; y0[7] = 0.3; y0[8] = 0.01; y0[16] = 0.007;
  for (int i = 0; i < NS; i++) { abstol[i] = 1e-10; }
  for (int i = 0; i < NS; i++)
    for (int c = 0; c < 13 && STOICH[i][c] != 0; c++)
    {
      int sj = STOICH[i][c];
      terms[nterms++] = (Term){i, abs(sj) - 1, sj > 0 ? 1.0 : -1.0};
    }
}

static void rhs(double t, const double* y, const double* k, double* ydot)
{
  (void)t;
  double r[NR];
  r[0]  = k[0] * y[0];
  r[1]  = k[1] * y[1] * y[3];
  r[2]  = k[2] * y[4] * y[1];
  r[3]  = k[3] * y[6];
  r[4]  = k[4] * y[6];
  r[5]  = k[5] * y[6] * y[5];
  r[6]  = k[6] * y[8];
  r[7]  = k[7] * y[8] * y[5];
  r[8]  = k[8] * y[10] * y[1];
  r[9]  = k[9] * y[10] * y[0];
  r[10] = k[10] * y[12];
  r[11] = k[11] * y[9] * y[1];
  r[12] = k[12] * y[13];
  r[13] = k[13] * y[0] * y[5];
  r[14] = k[14] * y[2];
  r[15] = k[15] * y[3];
  r[16] = k[16] * y[3];
  r[17] = k[17] * y[15];
  r[18] = k[18] * y[15];
  r[19] = k[19] * y[16] * y[5];
  r[20] = k[20] * y[18];
  r[21] = k[21] * y[18];
  r[22] = k[22] * y[0] * y[3];
  r[23] = k[23] * y[18] * y[0];
  r[24] = k[24] * y[19];
  ydot[0]  = -r[0] - r[9] - r[13] - r[22] - r[23] + r[1] + r[2] + r[8] + r[10] + r[11] + r[21] + r[24];
  ydot[1]  = -r[1] - r[2] - r[8] - r[11] + r[0] + r[20];
  ydot[2]  = -r[14] + r[0] + r[16] + r[18] + r[21];
  ydot[3]  = -r[1] - r[15] - r[16] - r[22] + r[14];
  ydot[4]  = -r[2] + 2 * r[3] + r[5] + r[6] + r[12] + r[19];
  ydot[5]  = -r[5] - r[7] - r[13] - r[19] + r[2] + 2 * r[17];
  ydot[6]  = -r[3] - r[4] - r[5] + r[12];
  ydot[7]  = r[3] + r[4] + r[5] + r[6];
  ydot[8]  = -r[6] - r[7];
  ydot[9]  = -r[11] + r[6] + r[8];
  ydot[10] = -r[8] - r[9] + r[7] + r[10];
  ydot[11] = r[8];
  ydot[12] = -r[10] + r[9];
  ydot[13] = -r[12] + r[11];
  ydot[14] = r[13];
  ydot[15] = -r[17] - r[18] + r[15];
  ydot[16] = -r[19];
  ydot[17] = r[19];
  ydot[18] = -r[20] - r[21] - r[23] + r[22] + r[24];
  ydot[19] = -r[24] + r[23];
}

/* J[i + NS c] = sum_j S_ij dr_j/dy_c, with d(k y_a y_b)/dy_a = k y_b */
static void jac(double t, const double* y, const double* k, double* J)
{
  (void)t;
  memset(J, 0, sizeof(double) * NS * NS);
  for (int m = 0; m < nterms; m++)
  {
    int i = terms[m].i, j = terms[m].j, a = REACT[j][0], b = REACT[j][1];
    double sk = terms[m].s * k[j];
    if (b < 0) { J[i + NS * a] += sk; }
    else
    {
      J[i + NS * a] += sk * y[b];
      J[i + NS * b] += sk * y[a];
    }
  }
}

/* with w_j = sum_i S_ij lambda_i: (f_y^T lambda)_c = sum_j w_j dr_j/dy_c, (f_k^T lambda)_j = w_j r_j / k_j */
static void vjp(double t, const double* y, const double* k, const double* l, double* ay, double* ak)
{
  (void)t;
  double w[NR] = {0};
  for (int m = 0; m < nterms; m++) { w[terms[m].j] += terms[m].s * l[terms[m].i]; }
  if (ay)
  {
    memset(ay, 0, sizeof(double) * NS);
    for (int j = 0; j < NR; j++)
    {
      int a = REACT[j][0], b = REACT[j][1];
      double wk = w[j] * k[j];
      if (b < 0) { ay[a] += wk; }
      else
      {
        ay[a] += wk * y[b];
        ay[b] += wk * y[a];
      }
    }
  }
  if (ak)
    for (int j = 0; j < NR; j++)
    {
      int a = REACT[j][0], b = REACT[j][1];
      ak[j] = w[j] * (b < 0 ? y[a] : y[a] * y[b]);
    }
}

static double loss(int nt, const double* times, double* const* ys, const double* p, double** dY, double* dP)
{
  (void)times; (void)p; (void)dP;
  double s = 0;
  for (int k = 0; k < nt; k++)
    for (int i = 0; i < NS; i++)
    {
      s += ys[k][i] * ys[k][i];
      dY[k][i] = 2 * ys[k][i];
    }
  return s;
}

const ClimitModel CLIMIT_MODEL = {
    .name = "pollu", .setup = setup, .n = NS, .np = NR, .lmm = CV_BDF, .p = K, .y0 = y0,
    .solve_rtol = 1e-6, .solve_atol = abstol, .solve_nt = 5, .solve_times = TIMES,
    .grad_rtol = 1e-6, .grad_atol = abstol, .grad_nt = 5, .grad_times = TIMES,
    .rtolB = 1e-6, .atolB = 1e-10, .rtolQB = 1e-6, .atolQB = 1e-10, .rtolQ = 1e-6, .atolQ = 1e-10,
    .ckpt_steps = 150, .interp = CV_HERMITE,
    .rhs = rhs, .jac = jac, .vjp = vjp, .integrand = NULL, .integrand_y = NULL, .loss = loss};
