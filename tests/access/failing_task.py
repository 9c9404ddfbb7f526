"""A background task for tests/access: it fails with case text in its message."""

from django_tasks import task


@task()
def fail_with_text(text):
    try:
        int(text)
    except ValueError as error:
        problem = KeyError(f"no such case\n{text}")
        problem.add_note(text)
        raise problem from error


@task()
def echo(text):
    return text
