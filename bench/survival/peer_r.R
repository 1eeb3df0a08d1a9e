# Times R survival on the benchmark cohort (data already in memory) and prints JSON.
#     Rscript peer_r.R COHORT.csv
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
df <- read.csv(commandArgs(trailingOnly = TRUE)[1])
# Kaplan-Meier and log-rank best of three (the machine is shared), Cox once.
elapsed <- function(expr) { t <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t }
best_of_3 <- function(run) min(sapply(1:3, function(i) elapsed(run())))
km_seconds <- best_of_3(function() survfit(Surv(time, event) ~ 1, data = df, conf.type = "log-log"))
km <- survfit(Surv(time, event) ~ 1, data = df, conf.type = "log-log")
logrank_seconds <- best_of_3(function() survdiff(Surv(time, event) ~ group, data = df))
lr <- survdiff(Surv(time, event) ~ group, data = df)
cox_seconds <- elapsed(cox <- coxph(Surv(time, event) ~ x1 + x2 + x3 + x4 + x5, data = df, ties = "efron"))
cat(toJSON(list(
  version = as.character(packageVersion("survival")),
  km_seconds = km_seconds, km_median = unname(quantile(km, 0.5)$quantile),
  logrank_seconds = logrank_seconds, logrank_statistic = lr$chisq,
  cox_seconds = cox_seconds, cox_coef = unname(coef(cox)), cox_log_likelihood = cox$loglik[2]
), auto_unbox = TRUE, digits = NA), "\n")
