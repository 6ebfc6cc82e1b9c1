#include "medtwin/core/ode.hpp"

#include <algorithm>
#include <cmath>
#include <cvode/cvode.h>
#include <exception>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

namespace medtwin {

struct CvodeSolver::Impl {
  OdeRhs rhs;
  SUNContext context = nullptr;
  N_Vector y = nullptr;
  SUNMatrix jacobian = nullptr;
  SUNLinearSolver linear_solver = nullptr;
  void* cvode = nullptr;
  std::string last_message;           // CVODE's text for the last failure
  std::exception_ptr rhs_exception;   // thrown by rhs; rethrown after CVode returns
  long steps_before_reset = 0;

  ~Impl() {
    if (cvode) CVodeFree(&cvode);
    if (linear_solver) SUNLinSolFree(linear_solver);
    if (jacobian) SUNMatDestroy(jacobian);
    if (y) N_VDestroy(y);
    if (context) SUNContext_Free(&context);
  }

  static int evaluate(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data) {
    auto* self = static_cast<Impl*>(user_data);
    const auto n = static_cast<std::size_t>(N_VGetLength_Serial(y));
    std::span<const double> in(N_VGetArrayPointer_Serial(y), n);
    std::span<double> out(N_VGetArrayPointer_Serial(ydot), n);
    try {
      if (!self->rhs(t, in, out)) return 1;  // recoverable: CVODE cuts the step
      for (double d : out)
        if (!std::isfinite(d)) return 1;
      return 0;
    } catch (...) {
      self->rhs_exception = std::current_exception();
      return -1;  // unrecoverable: CVode returns CV_RHSFUNC_FAIL
    }
  }

  // Keeps CVODE from printing to stderr (domain code must not print): the
  // message goes into the OdeError instead.
  static void on_error(int, const char*, const char* function, char* message, void* user_data) {
    static_cast<Impl*>(user_data)->last_message = std::string(function) + ": " + message;
  }
};

CvodeSolver::CvodeSolver(std::size_t n, OdeRhs rhs, CvodeOptions options)
    : n_(n), impl_(std::make_unique<Impl>()) {
  if (n == 0) throw OdeError("CVODE: the system has no equations");
  if (!rhs) throw OdeError("CVODE: no right-hand side function given");
  if (!(options.rtol > 0) || !(options.atol > 0))
    throw OdeError("CVODE: tolerances must be positive, got rtol " + std::to_string(options.rtol) +
                   ", atol " + std::to_string(options.atol));
  impl_->rhs = std::move(rhs);
  check(SUNContext_Create(nullptr, &impl_->context), "SUNContext_Create");
  impl_->y = N_VNew_Serial(static_cast<sunindextype>(n), impl_->context);
  if (!impl_->y) throw OdeError("CVODE: N_VNew_Serial failed (out of memory?)");
  N_VConst(0.0, impl_->y);
  impl_->cvode = CVodeCreate(CV_BDF, impl_->context);
  if (!impl_->cvode) throw OdeError("CVODE: CVodeCreate failed (out of memory?)");
  check(CVodeSetErrHandlerFn(impl_->cvode, &Impl::on_error, impl_.get()), "CVodeSetErrHandlerFn");
  check(CVodeInit(impl_->cvode, &Impl::evaluate, 0.0, impl_->y), "CVodeInit");
  check(CVodeSetUserData(impl_->cvode, impl_.get()), "CVodeSetUserData");
  check(CVodeSStolerances(impl_->cvode, options.rtol, options.atol), "CVodeSStolerances");
  const auto size = static_cast<sunindextype>(n);
  impl_->jacobian = SUNDenseMatrix(size, size, impl_->context);
  if (!impl_->jacobian) throw OdeError("CVODE: SUNDenseMatrix failed (out of memory?)");
  impl_->linear_solver = SUNLinSol_Dense(impl_->y, impl_->jacobian, impl_->context);
  if (!impl_->linear_solver) throw OdeError("CVODE: SUNLinSol_Dense failed");
  // No Jacobian function: CVODE approximates it by difference quotients.
  check(CVodeSetLinearSolver(impl_->cvode, impl_->linear_solver, impl_->jacobian), "CVodeSetLinearSolver");
  check(CVodeSetMaxNumSteps(impl_->cvode, options.max_steps), "CVodeSetMaxNumSteps");
  if (options.max_step > 0) check(CVodeSetMaxStep(impl_->cvode, options.max_step), "CVodeSetMaxStep");
}

CvodeSolver::~CvodeSolver() = default;

void CvodeSolver::check(int flag, const char* call) const {
  if (flag >= 0) return;
  if (impl_->rhs_exception) {
    auto e = impl_->rhs_exception;
    impl_->rhs_exception = nullptr;
    std::rethrow_exception(e);
  }
  std::string message = std::string("CVODE: ") + call + " failed with flag " + std::to_string(flag);
  if (!impl_->last_message.empty()) message += " (" + impl_->last_message + ")";
  throw OdeError(message);
}

void CvodeSolver::reset(double t0, std::span<const double> y0) {
  if (y0.size() != n_)
    throw OdeError("CVODE: initial state has " + std::to_string(y0.size()) + " values, expected " + std::to_string(n_));
  for (double v : y0)
    if (!std::isfinite(v)) throw OdeError("CVODE: initial state contains a non-finite value");
  impl_->steps_before_reset = steps_taken();
  std::copy(y0.begin(), y0.end(), N_VGetArrayPointer_Serial(impl_->y));
  check(CVodeReInit(impl_->cvode, t0, impl_->y), "CVodeReInit");
  t_ = t0;
}

void CvodeSolver::advance_to(double t_out, double t_stop, std::span<double> y_out) {
  if (y_out.size() != n_) throw OdeError("CVODE: output has the wrong size");
  if (!(t_out > t_) || t_stop < t_out)
    throw OdeError("CVODE: asked to advance from t = " + std::to_string(t_) + " to " + std::to_string(t_out) +
                   " with stop time " + std::to_string(t_stop));
  check(CVodeSetStopTime(impl_->cvode, t_stop), "CVodeSetStopTime");
  double t_reached = t_;
  impl_->last_message.clear();
  check(CVode(impl_->cvode, t_out, impl_->y, &t_reached, CV_NORMAL), "CVode");
  t_ = t_reached;
  const double* y = N_VGetArrayPointer_Serial(impl_->y);
  std::copy(y, y + n_, y_out.begin());
}

long CvodeSolver::steps_taken() const {
  long steps = 0;
  check(CVodeGetNumSteps(impl_->cvode, &steps), "CVodeGetNumSteps");
  return impl_->steps_before_reset + steps;
}

}  // namespace medtwin
