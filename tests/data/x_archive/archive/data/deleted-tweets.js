window.YTD.deleted_tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000008"
          ],
          "editableUntil" : "2026-03-01T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "46"
      ],
      "favorite_count" : "0",
      "id_str" : "1600000000000000008",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1600000000000000008",
      "created_at" : "Mon Mar 02 07:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "They took the men from our street this morning",
      "lang" : "en",
      "deleted_at" : "Mon Mar 02 07:20:00 +0000 2026"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1600000000000000009"
          ],
          "editableUntil" : "2026-03-01T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "38"
      ],
      "favorite_count" : "0",
      "id_str" : "1600000000000000009",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1600000000000000009",
      "created_at" : "Mon Mar 02 08:00:00 +0000 2026",
      "favorited" : false,
      "full_text" : "if you read this, goodbye. pray for us",
      "lang" : "en"
    }
  }
]
