/*
 * Lotka-Volterra for the C limit (see climit.h): Problems.md's lotka-volterra with the settings of
 * org.sundials4j.problems.Objectives.lotkaVolterra: Adams (Newton, dense), rtol 1e-8, atol 1e-10
 * (solve, gradient, backward, quadrature), 150 steps between checkpoints, polynomial
 * interpolation; outputs t = i/10, i = 0..199; L = mean over the 400 values of (state - 1)^2.
 */
#include <cvodes/cvodes.h>

#include "climit.h"

#define NT 200

static const double P[4]    = {2.0 / 3.0, -4.0 / 3.0, -1.0, 1.0};
static const double Y0[2]   = {0.1, 0.2};
static const double ATOL[2] = {1e-10, 1e-10};
static double times[NT];

static void setup(void)
{
  for (int i = 0; i < NT; i++) { times[i] = i / 10.0; }
}

static void rhs(double t, const double* s, const double* p, double* sdot)
{
  (void)t;
  double xy = s[0] * s[1];
  sdot[0]   = p[0] * s[0] + p[1] * xy;
  sdot[1]   = p[2] * s[1] + p[3] * xy;
}

static void jac(double t, const double* s, const double* p, double* J)
{
  (void)t;
  J[0] = p[0] + p[1] * s[1];
  J[1] = p[3] * s[1];
  J[2] = p[1] * s[0];
  J[3] = p[2] + p[3] * s[0];
}

static void vjp(double t, const double* s, const double* p, const double* l, double* ay, double* ap)
{
  (void)t;
  double x = s[0], y = s[1];
  if (ay)
  {
    ay[0] = (p[0] + p[1] * y) * l[0] + p[3] * y * l[1];
    ay[1] = p[1] * x * l[0] + (p[2] + p[3] * x) * l[1];
  }
  if (ap)
  {
    ap[0] = x * l[0];
    ap[1] = x * y * l[0];
    ap[2] = y * l[1];
    ap[3] = x * y * l[1];
  }
}

static double loss(int nt, const double* tk, double* const* ys, const double* p, double** dY, double* dP)
{
  (void)tk; (void)p; (void)dP;
  double scale = 1.0 / (2.0 * nt), s = 0;
  for (int k = 0; k < nt; k++)
    for (int i = 0; i < 2; i++)
    {
      double e = ys[k][i] - 1;
      s += e * e;
      dY[k][i] = 2 * e * scale;
    }
  return s * scale;
}

const ClimitModel CLIMIT_MODEL = {
    .name = "lotka-volterra", .setup = setup, .n = 2, .np = 4, .lmm = CV_ADAMS, .p = P, .y0 = Y0,
    .solve_rtol = 1e-8, .solve_atol = ATOL, .solve_nt = NT, .solve_times = times,
    .grad_rtol = 1e-8, .grad_atol = ATOL, .grad_nt = NT, .grad_times = times,
    .rtolB = 1e-8, .atolB = 1e-10, .rtolQB = 1e-8, .atolQB = 1e-10, .rtolQ = 1e-8, .atolQ = 1e-10,
    .ckpt_steps = 150, .interp = CV_POLYNOMIAL,
    .rhs = rhs, .jac = jac, .vjp = vjp, .integrand = NULL, .integrand_y = NULL, .loss = loss};
