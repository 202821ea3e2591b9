/*
 * ROBER for the C limit (see climit.h): Problems.md's rober with the settings of
 * org.sundials4j.problems.Objectives.rober (cvsRoberts_ASAi_dns): G = int_0^4e7 y3 dt, BDF,
 * rtol 1e-6, atol [1e-8, 1e-14, 1e-6], backward atol 1e-8, quadrature atol 1e-6, 150 steps
 * between checkpoints, Hermite. Solve: outputs 0.4*10^k, k = 0..11, rtol 1e-4.
 */
#include <math.h>

#include <cvodes/cvodes.h>

#include "climit.h"

static const double P[3]    = {0.04, 1e4, 3e7};
static const double Y0[3]   = {1, 0, 0};
static const double ATOL[3] = {1e-8, 1e-14, 1e-6};
static double solve_times[12];
static const double GRAD_TIMES[1] = {4e7};

static void setup(void)
{
  for (int k = 0; k < 12; k++) { solve_times[k] = 0.4 * pow(10, k); }
}

/* The operations in the order of the tape definition (Rober.definition): p3 (y2 y2), not
 * (p3 y2) y2, so that the solve takes sundials4j's steps exactly (503 rather than 542; the
 * rounding of y2' = forward - back - dimer steers BDF's step sizes at rtol 1e-4). */
static void rhs(double t, const double* y, const double* p, double* ydot)
{
  (void)t;
  double forward = p[0] * y[0], back = p[1] * y[1] * y[2], dimer = p[2] * (y[1] * y[1]);
  ydot[0] = back - forward;
  ydot[1] = forward - back - dimer;
  ydot[2] = dimer;
}

static void jac(double t, const double* y, const double* p, double* J)
{
  (void)t;
  /* column-major: J[i + 3 j] = df_i / dy_j */
  J[0] = -p[0];
  J[1] = p[0];
  J[2] = 0;
  J[3] = p[1] * y[2];
  J[4] = -p[1] * y[2] - 2 * p[2] * y[1];
  J[5] = 2 * p[2] * y[1];
  J[6] = p[1] * y[1];
  J[7] = -p[1] * y[1];
  J[8] = 0;
}

static void vjp(double t, const double* y, const double* p, const double* l, double* ay, double* ap)
{
  (void)t;
  double l21 = l[1] - l[0], l32 = l[2] - l[1];
  if (ay)
  {
    ay[0] = p[0] * l21;
    ay[1] = -p[1] * y[2] * l21 + 2 * p[2] * y[1] * l32;
    ay[2] = -p[1] * y[1] * l21;
  }
  if (ap)
  {
    ap[0] = y[0] * l21;
    ap[1] = -y[1] * y[2] * l21;
    ap[2] = y[1] * y[1] * l32;
  }
}

static double integrand(double t, const double* y, const double* p)
{
  (void)t; (void)p;
  return y[2];
}

static void integrand_y(double t, const double* y, const double* p, double* gy)
{
  (void)t; (void)y; (void)p;
  gy[2] += 1;
}

const ClimitModel CLIMIT_MODEL = {
    .name = "rober", .setup = setup, .n = 3, .np = 3, .lmm = CV_BDF, .p = P, .y0 = Y0,
    .solve_rtol = 1e-4, .solve_atol = ATOL, .solve_nt = 12, .solve_times = solve_times,
    .grad_rtol = 1e-6, .grad_atol = ATOL, .grad_nt = 1, .grad_times = GRAD_TIMES,
    .rtolB = 1e-6, .atolB = 1e-8, .rtolQB = 1e-6, .atolQB = 1e-6, .rtolQ = 1e-6, .atolQ = 1e-6,
    .ckpt_steps = 150, .interp = CV_HERMITE,
    .rhs = rhs, .jac = jac, .vjp = vjp, .integrand = integrand, .integrand_y = integrand_y,
    .loss = NULL};
