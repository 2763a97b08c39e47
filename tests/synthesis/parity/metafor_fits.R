# Test-only reference: fit every requested model with R metafor and write JSON.
# Usage: Rscript metafor_fits.R SPEC.json OUT.json
# SPEC: {"datasets": [{"id", "metadat"?: name, "escalc"?: {...}, "data"?: {col: [...]},
#         "fits": [{"id", "method", "knha", "mods": [...], "loo", "regtest"}]}]}
# Iterative estimators run with tight convergence so that results are exact to ~1e-12.
suppressPackageStartupMessages({library(metafor); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
spec <- fromJSON(args[1], simplifyVector = TRUE, simplifyDataFrame = FALSE)
ctrl <- list(threshold = 1e-10, tol = 1e-14, maxiter = 10000)
num <- function(x) if (is.null(x)) NULL else unname(as.numeric(x))
out <- list(metafor_version = as.character(packageVersion("metafor")), datasets = list())
for (ds in spec$datasets) {
  if (!is.null(ds$metadat)) {
    suppressPackageStartupMessages(library(metadat))
    dat <- get(ds$metadat)
    if (!is.null(ds$escalc)) {
      e <- ds$escalc
      if (e$measure == "RR") {
        dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat)
      } else {
        dat <- escalc(measure = e$measure, xi = xi, ni = ni, data = dat)
      }
    }
  } else {
    dat <- as.data.frame(lapply(ds$data, function(v) unlist(v)), stringsAsFactors = FALSE)
    if (!is.null(ds$measure) && ds$measure != "GEN") {
      dat <- escalc(measure = ds$measure, xi = xi, ni = ni, data = dat)
    }
  }
  res_ds <- list(id = ds$id, yi = num(dat$yi), vi = num(dat$vi), xi = num(dat$xi),
                 ni = num(dat$ni), columns = setNames(list(), character(0)), fits = list())
  for (col in unique(unlist(lapply(ds$fits, function(f) f$mods)))) {
    res_ds$columns[[col]] <- if (is.numeric(dat[[col]])) num(dat[[col]]) else as.character(dat[[col]])
  }
  for (f in ds$fits) {
    test <- if (isTRUE(f$knha)) "knha" else "z"
    mods <- unlist(f$mods)
    if (length(mods) > 0) {
      form <- as.formula(paste("~", paste(mods, collapse = " + ")))
      r <- suppressWarnings(rma(yi, vi, mods = form, data = dat, method = f$method, test = test, control = ctrl))
    } else {
      r <- suppressWarnings(rma(yi, vi, data = dat, method = f$method, test = test, control = ctrl))
    }
    fr <- list(id = f$id, b = num(r$b), se = num(r$se), zval = num(r$zval), pval = num(r$pval),
               ci_lb = num(r$ci.lb), ci_ub = num(r$ci.ub), tau2 = num(r$tau2), I2 = num(r$I2),
               H2 = num(r$H2), QE = num(r$QE), QEp = num(r$QEp), QM = num(r$QM), QMp = num(r$QMp),
               R2 = num(r$R2), weights = num(weights(r)))
    if (length(mods) == 0) {
      p <- predict(r)
      fr$pred <- list(pred = num(p$pred), se = num(p$se), ci_lb = num(p$ci.lb), ci_ub = num(p$ci.ub),
                      pi_lb = num(p$pi.lb), pi_ub = num(p$pi.ub))
      if (isTRUE(f$loo)) {
        l <- suppressWarnings(leave1out(r))
        fr$loo <- list(estimate = num(l$estimate), se = num(l$se), ci_lb = num(l$ci.lb),
                       ci_ub = num(l$ci.ub), Q = num(l$Q), tau2 = num(l$tau2), I2 = num(l$I2))
      }
      if (isTRUE(f$regtest)) {
        g <- suppressWarnings(regtest(r))
        fr$regtest <- list(stat = num(g$zval), pval = num(g$pval), est = num(g$est),
                           ci_lb = num(g$ci.lb), ci_ub = num(g$ci.ub))
      }
    }
    res_ds$fits[[length(res_ds$fits) + 1]] <- fr
  }
  out$datasets[[length(out$datasets) + 1]] <- res_ds
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null"), args[2])
