from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_boards')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Contest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('date', fields.DateField()),
                ('definition', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharField(default='setup', max_length=16)),
                ('seed', fields.CharField(null=True, max_length=64)),
                ('order', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('current', fields.CharField(null=True, max_length=40)),
                ('phase', fields.CharField(default='idle', max_length=16)),
                ('timer_started_at', fields.FloatField(null=True)),
                ('revision', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'contest', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One contest with its definition and where the host has got to.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContestJudge',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='judges', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('name', fields.CharField(max_length=100)),
                ('position', fields.IntField()),
            ],
            options={'table': 'contestjudge', 'app': 'models', 'unique_together': (('contest', 'code'),), 'pk_attr': 'id', 'table_description': 'A judge (评委) of one contest.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Contestant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='contestants', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('name', fields.CharField(max_length=100)),
                ('post', fields.CharField(max_length=100)),
                ('unit', fields.CharField(max_length=200)),
                ('position', fields.IntField()),
                ('elapsed_seconds', fields.IntField(default=0)),
                ('state', fields.CharField(default='waiting', max_length=16)),
            ],
            options={'table': 'contestant', 'app': 'models', 'unique_together': (('contest', 'code'),), 'pk_attr': 'id', 'table_description': 'A township or village party secretary who presents (name, post, unit).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContestScore',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contestant', fields.ForeignKeyField('models.Contestant', source_field='contestant_id', db_constraint=True, to_field='id', related_name='scores', on_delete=OnDelete.CASCADE)),
                ('judge', fields.ForeignKeyField('models.ContestJudge', source_field='judge_id', db_constraint=True, to_field='id', related_name='scores', on_delete=OnDelete.CASCADE)),
                ('items', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('total', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'contestscore', 'app': 'models', 'unique_together': (('contestant', 'judge'),), 'pk_attr': 'id', 'table_description': "One judge's score sheet for one contestant (once only)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Token',
            name='contest',
            field=fields.ForeignKeyField('models.Contest', source_field='contest_id', null=True, db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='Token',
            name='subject',
            field=fields.CharField(default='', db_default='', max_length=40),
        ),
    ]
