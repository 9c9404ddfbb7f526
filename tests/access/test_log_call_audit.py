"""Every log call in the plugin and the site passes only arguments that cannot hold case text.

The log redaction withholds Wagtail's text arguments, but the plugin's own arguments are left
as they are (operators need them): so each one is listed here, by its source text. A new log
argument must be added to this list, consciously, after checking it holds no case text.
"""

import ast
from pathlib import Path

import sixdegree_cases

ROOT = Path(sixdegree_cases.__file__).parent.parent
PACKAGES = ["sixdegree_cases", "sixdegree_site", "home", "search"]
LEVELS = {"debug", "info", "warning", "error", "exception", "critical", "log"}

# Source text of every argument a log call may pass: ids, statuses, check ids, cache names.
ALLOWED_ARGUMENTS = {
    "revision.pk",
    "page.pk",
    "check.id",
    "context.case_id",
    "donation.pk",
    "donation_id",
    "locked.pk",
    "locked.status",
    "status",
    "case_id",
    "event_id",
    "payment.pk",
    # The amounts or currencies that differ from the donation, never a name.
    "mismatch",
    # Cache tags: "case-<id>", "case-index", "home".
    "tags",
    # "shared" or "local": which cache failed.
    "name",
    # The refusal reason of the publishing guard: fixed messages (review.guard).
    "error",
    "alert.pk",
    "user.pk",
    # A LiveCaseAlert.Reason value and the ids of the checks that block.
    "reason",
    "', '.join(alert.checks)",
    # privacy_audit's line: page id, reason labels, check ids, "unpublished" or "still live".
    "result.describe()",
    # An exception's class, never its message.
    "type(error).__name__",
    # Stripe's error code ("email_invalid"), HTTP status and request id: never its text.
    "getattr(error, 'code', None)",
    "getattr(error, 'http_status', None)",
    "getattr(error, 'request_id', None)",
    "self.case.pk",
    # A SIXDEGREE_TRUSTED_PROXIES entry an operator mistyped (a setting, never case text).
    "entry",
    # Which Redis server, how many keys, and the states of its circuit breaker.
    "server_name(self._servers[0])",
    "len(keys)",
    "cb.name",
    "old_state.name",
    "new_state.name",
    "rendition.pk",
    "instance.pk",
    "update.pk",
    "update_id",
    # An amount taken off a case's totals, never a name.
    "-delta",
    # A gift counted as nothing: its id and the two currency codes that differ.
    "pk",
    "gift_currency",
    "case_currency",
    # A donor-account mail's purpose (fixed names, checked before anything can fail) and its
    # attempt number.
    "purpose",
    "attempt",
}


def log_calls():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in LEVELS
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "logger"
                ):
                    yield path.relative_to(ROOT), node


def message_and_arguments(call):
    """`logger.log(level, message, *args)` puts the level first; the other methods do not."""
    args = call.args[1:] if call.func.attr == "log" else call.args
    return (args[0] if args else None), args[1:]


def test_log_messages_are_constant_strings():
    """An f-string or concatenation could carry any text past the argument list."""
    formatted = [
        f"{path}:{call.lineno}"
        for path, call in log_calls()
        if not (
            isinstance(message := message_and_arguments(call)[0], ast.Constant)
            and isinstance(message.value, str)
        )
    ]
    assert formatted == []


def test_log_arguments_are_allow_listed():
    unknown = [
        f"{path}:{call.lineno}: {ast.unparse(argument)}"
        for path, call in log_calls()
        for argument in message_and_arguments(call)[1]
        if ast.unparse(argument) not in ALLOWED_ARGUMENTS
    ]
    assert unknown == []


def test_the_audit_sees_the_plugins_log_calls():
    assert len(list(log_calls())) > 10


def task_functions():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef) and any(
                    "task" in ast.unparse(decorator).split("(")[0] for decorator in node.decorator_list
                ):
                    yield path.relative_to(ROOT), node


# Task parameters that are not ids but fixed choices.
ALLOWED_TASK_PARAMETERS = {
    # A LiveCaseAlert.Reason value ("sensitive_term", "consent").
    "reason",
    # A donor-account mail's purpose (`links.PURPOSES`: "confirm", "reset", …) and how many
    # times it was tried: the address and the link are built when the task runs.
    "purpose",
    "attempt",
}


def test_background_tasks_take_ids_only():
    """A queued task's arguments rest in the database until it runs: ids, never text."""
    tasks = list(task_functions())
    assert tasks, "the audit sees the plugin's tasks"
    text_arguments = [
        f"{path}:{function.name}({argument.arg})"
        for path, function in tasks
        for argument in function.args.args + function.args.kwonlyargs
        if not argument.arg.endswith(("_id", "_ids")) and argument.arg not in ALLOWED_TASK_PARAMETERS
    ]
    assert text_arguments == []
