from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_contests')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Account',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=40)),
                ('password_hash', fields.CharField(max_length=200)),
                ('token', fields.OneToOneField('models.Token', source_field='token_id', db_constraint=True, to_field='id', related_name='account', on_delete=OnDelete.CASCADE)),
                ('disabled', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('password_changed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'account', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An organiser who signs in with a name and a password (only the argon2id hash is stored).'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='Session',
            options={'table': 'session', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A browser session opened by a personal link or a sign-in (HttpOnly cookie, hash stored).'},
        ),
        ops.AddField(
            model_name='Session',
            name='last_seen_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Session',
            name='expires_at',
            field=fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Session',
            name='ttl_seconds',
            field=fields.IntField(default=86400, db_default=86400),
        ),
        ops.AddField(
            model_name='Session',
            name='address',
            field=fields.CharField(default='', db_default='', max_length=64),
        ),
        ops.AddField(
            model_name='Session',
            name='agent',
            field=fields.CharField(default='', db_default='', max_length=200),
        ),
    ]
