# R survival reference outputs for the oncourse survival tests.
# Run from this folder after make_reference_lifelines.py has exported the CSVs:
#     Rscript make_reference_r.R
# Writes reference_r.json.
suppressPackageStartupMessages({ library(survival); library(jsonlite) })

rossi <- read.csv("rossi.csv")
waltons <- read.csv("waltons.csv")
vet <- read.csv("veterans.csv")

km <- function(time, event, at) {
  out <- list()
  for (ct in c("log-log", "log", "plain")) {
    f <- survfit(Surv(time, event) ~ 1, conf.type = ct)
    s <- summary(f, times = at, extend = TRUE)
    q <- quantile(f, probs = 0.5)
    out[[ct]] <- list(
      times = f$time, n_at_risk = f$n.risk, n_events = f$n.event,
      survival = f$surv, lower = f$lower, upper = f$upper,
      median = unname(q$quantile[1]),
      median_ci = c(unname(q$lower[1]), unname(q$upper[1])),
      at = list(t = at, s = s$surv, lower = s$lower, upper = s$upper, n_at_risk = s$n.risk)
    )
  }
  out
}

logrank <- function(formula, data) {
  r <- survdiff(formula, data = data)
  df <- length(r$n) - 1
  if (!is.null(r$strata)) df <- nrow(as.matrix(r$obs)) - 1
  list(statistic = r$chisq, df = df, p = pchisq(r$chisq, df, lower.tail = FALSE))
}

cox <- function(formula, data, ties) {
  f <- coxph(formula, data = data, ties = ties, control = coxph.control(eps = 1e-10, iter.max = 100))
  s <- summary(f)
  list(
    covariates = names(coef(f)), coef = unname(coef(f)), se = unname(sqrt(diag(f$var))),
    hr = unname(exp(coef(f))),
    hr_lower = unname(s$conf.int[, "lower .95"]), hr_upper = unname(s$conf.int[, "upper .95"]),
    p = unname(s$coefficients[, "Pr(>|z|)"]),
    log_likelihood = f$loglik[2], log_likelihood_null = f$loglik[1],
    lr_statistic = 2 * (f$loglik[2] - f$loglik[1]),
    concordance = unname(f$concordance["concordance"])
  )
}

rossi_f <- Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio
vet_f <- Surv(time, status) ~ trt + karno + diagtime + age + prior
out <- list(
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  km = list(
    rossi = km(rossi$week, rossi$arrest, c(10, 20, 30, 52)),
    waltons_control = with(subset(waltons, group == "control"), km(T, E, c(20, 40, 60))),
    waltons_mir137 = with(subset(waltons, group == "miR-137"), km(T, E, c(20, 40, 60))),
    veterans = km(vet$time, vet$status, c(30, 100, 365))
  ),
  logrank = list(
    waltons_group = logrank(Surv(T, E) ~ group, waltons),
    rossi_fin = logrank(Surv(week, arrest) ~ fin, rossi),
    veterans_celltype = logrank(Surv(time, status) ~ celltype, vet)
  ),
  logrank_stratified = list(
    veterans_trt_by_celltype = logrank(Surv(time, status) ~ trt + strata(celltype), vet),
    rossi_fin_by_race = logrank(Surv(week, arrest) ~ fin + strata(race), rossi)
  ),
  cox_efron = list(rossi = cox(rossi_f, rossi, "efron"), veterans = cox(vet_f, vet, "efron")),
  cox_breslow = list(rossi = cox(rossi_f, rossi, "breslow"), veterans = cox(vet_f, vet, "breslow"))
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "reference_r.json")
